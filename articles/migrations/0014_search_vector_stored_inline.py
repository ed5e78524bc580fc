"""PostgreSQL only: keep each article's search vector in its row (storage MAIN), compressed, rather
than in the TOAST table, and move the existing vectors there. Nothing elsewhere.

Search reads vectors in bulk: it ranks a pool of up to 200 articles and tests the newest
articles' vectors while walking the publish-date index. Out of line, each vector cost a lookup
in the TOAST index and a visit to its chunks, about 2 µs (most of the cost of ranking); in the
row it costs its decompression only. Measured on 50,000 articles (`seed_bench`): the database's
share of a search fell from ~7 to ~5.5 ms ("ceasefire pipeline") and ~27 to ~16 ms (the phrase
"human rights"). The table's own file grows (41 → 173 MB there; the TOAST table shrinks as much),
and only a vector larger than a page still goes out of line.

Changing a column's storage touches new values only, so every vector is written once more
(`|| ''` makes a new value; an unchanged one would keep its TOAST pointer). The update names no
column the search triggers watch, so nothing is recomputed.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN;
UPDATE articles_article SET search_vector = search_vector || ''::tsvector
WHERE search_vector IS NOT NULL;
"""
BACKWARD = "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTENDED"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_listing_lookups_from_indexes")]

    operations = [migrations.RunPython(forward, backward)]
