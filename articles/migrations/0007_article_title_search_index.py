"""PostgreSQL only: a GIN index on the title's tsvector, so search can find title matches among
many articles quickly (articles.search ranks them first). Nothing elsewhere."""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS articles_article_title_tsv ON articles_article "
    "USING gin (to_tsvector('english'::regconfig, title))"
)
BACKWARD = "DROP INDEX IF EXISTS articles_article_title_tsv"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_article_search_vector")]

    operations = [migrations.RunPython(forward, backward)]
