"""Full-text search on PostgreSQL: a weighted `search_vector` column on articles, kept current by
triggers, with a GIN index. Elsewhere (SQLite) this migration does nothing and search falls back to
simple word matching (articles.search).

The column is not a model field on purpose: every article query would otherwise fetch a large
tsvector it never uses. Triggers (not Python signals) keep it current, so every writer — the admin,
the WordPress import, bulk_create in seed_bench, raw SQL — leaves it right:
- on articles_article, before a row is written when its title, dek, body or primary category change;
- on the authors, categories and tags link tables, once per statement for the articles touched;
- on articles_author, articles_category and taggit_tag, when a name changes.
"""

from django.db import migrations

SEARCH_DOCUMENT = """
CREATE OR REPLACE FUNCTION articles_search_document(
    p_article_id bigint, p_title text, p_dek text, p_body text, p_primary_category_id bigint
) RETURNS tsvector LANGUAGE sql STABLE AS $$
SELECT
    setweight(to_tsvector('english', coalesce(p_title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(p_dek, '')), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(author.display_name, ' ')
        FROM articles_author author
        JOIN articles_article_authors link ON link.author_id = author.id
        WHERE link.article_id = p_article_id), '')), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(category.name, ' ')
        FROM articles_category category
        WHERE category.id = p_primary_category_id
           OR category.id IN (SELECT link.category_id FROM articles_article_categories link
                              WHERE link.article_id = p_article_id)), '')), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(tag.name, ' ')
        FROM taggit_tag tag
        JOIN taggit_taggeditem item ON item.tag_id = tag.id
        JOIN django_content_type ct ON ct.id = item.content_type_id
        WHERE ct.app_label = 'articles' AND ct.model = 'article'
          AND item.object_id = p_article_id), '')), 'B')
    -- Tags and entities out, and a bound: a tsvector may not exceed 1 MB.
    || setweight(to_tsvector('english', left(regexp_replace(
        regexp_replace(coalesce(p_body, ''), '<[^>]*>', ' ', 'g'), '&[#a-zA-Z0-9]+;', ' ', 'g'),
        500000)), 'C')
$$;
"""

FORWARD = (
    SEARCH_DOCUMENT
    + """
ALTER TABLE articles_article ADD COLUMN search_vector tsvector;

CREATE FUNCTION articles_article_search_vector_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := articles_search_document(
        NEW.id, NEW.title, NEW.dek, NEW.body, NEW.primary_category_id);
    RETURN NEW;
END $$;

CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF title, dek, body, primary_category_id ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_row();

CREATE FUNCTION articles_refresh_search_vectors(article_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE articles_article
    SET search_vector = articles_search_document(id, title, dek, body, primary_category_id)
    WHERE id = ANY(article_ids);
$$;

-- Link tables: once per statement, for the articles the statement touched.
CREATE FUNCTION articles_links_changed_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM articles_refresh_search_vectors(ARRAY(SELECT DISTINCT article_id FROM changed_rows));
    RETURN NULL;
END $$;

CREATE TRIGGER articles_authors_inserted AFTER INSERT ON articles_article_authors
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_links_changed_new();
CREATE TRIGGER articles_authors_deleted AFTER DELETE ON articles_article_authors
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_links_changed_new();
CREATE TRIGGER articles_categories_inserted AFTER INSERT ON articles_article_categories
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_links_changed_new();
CREATE TRIGGER articles_categories_deleted AFTER DELETE ON articles_article_categories
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_links_changed_new();

CREATE FUNCTION articles_tagged_items_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM articles_refresh_search_vectors(ARRAY(
        SELECT DISTINCT changed_rows.object_id::bigint FROM changed_rows
        JOIN django_content_type ct ON ct.id = changed_rows.content_type_id
        WHERE ct.app_label = 'articles' AND ct.model = 'article'));
    RETURN NULL;
END $$;

CREATE TRIGGER articles_tagged_items_inserted AFTER INSERT ON taggit_taggeditem
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_tagged_items_changed();
CREATE TRIGGER articles_tagged_items_deleted AFTER DELETE ON taggit_taggeditem
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_tagged_items_changed();

-- Renamed authors, categories and tags: rare, so row by row.
CREATE FUNCTION articles_author_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM articles_refresh_search_vectors(ARRAY(
        SELECT article_id FROM articles_article_authors WHERE author_id = NEW.id));
    RETURN NULL;
END $$;
CREATE TRIGGER articles_author_renamed AFTER UPDATE OF display_name ON articles_author
    FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION articles_author_renamed();

CREATE FUNCTION articles_category_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM articles_refresh_search_vectors(ARRAY(
        SELECT id FROM articles_article WHERE primary_category_id = NEW.id
        UNION SELECT article_id FROM articles_article_categories WHERE category_id = NEW.id));
    RETURN NULL;
END $$;
CREATE TRIGGER articles_category_renamed AFTER UPDATE OF name ON articles_category
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION articles_category_renamed();

CREATE FUNCTION articles_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM articles_refresh_search_vectors(ARRAY(
        SELECT item.object_id::bigint FROM taggit_taggeditem item
        JOIN django_content_type ct ON ct.id = item.content_type_id
        WHERE ct.app_label = 'articles' AND ct.model = 'article' AND item.tag_id = NEW.id));
    RETURN NULL;
END $$;
CREATE TRIGGER articles_tag_renamed AFTER UPDATE OF name ON taggit_tag
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION articles_tag_renamed();

-- Existing rows: the BEFORE trigger computes the vector.
UPDATE articles_article SET title = title;

CREATE INDEX articles_article_search_vector_gin ON articles_article USING gin (search_vector);
"""
)

BACKWARD = """
DROP TRIGGER IF EXISTS articles_tag_renamed ON taggit_tag;
DROP TRIGGER IF EXISTS articles_category_renamed ON articles_category;
DROP TRIGGER IF EXISTS articles_author_renamed ON articles_author;
DROP TRIGGER IF EXISTS articles_tagged_items_inserted ON taggit_taggeditem;
DROP TRIGGER IF EXISTS articles_tagged_items_deleted ON taggit_taggeditem;
DROP TRIGGER IF EXISTS articles_authors_inserted ON articles_article_authors;
DROP TRIGGER IF EXISTS articles_authors_deleted ON articles_article_authors;
DROP TRIGGER IF EXISTS articles_categories_inserted ON articles_article_categories;
DROP TRIGGER IF EXISTS articles_categories_deleted ON articles_article_categories;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_tag_renamed();
DROP FUNCTION IF EXISTS articles_category_renamed();
DROP FUNCTION IF EXISTS articles_author_renamed();
DROP FUNCTION IF EXISTS articles_tagged_items_changed();
DROP FUNCTION IF EXISTS articles_links_changed_new();
DROP FUNCTION IF EXISTS articles_refresh_search_vectors(bigint[]);
DROP FUNCTION IF EXISTS articles_article_search_vector_row();
DROP FUNCTION IF EXISTS articles_search_document(bigint, text, text, text, bigint);
DROP INDEX IF EXISTS articles_article_search_vector_gin;
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_popular_counts_and_canonical_source"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
