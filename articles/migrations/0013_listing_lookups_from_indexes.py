from django.db import migrations, models

# Tag listings find a tag's articles in django-taggit's table, which is not ours to declare
# indexes on: an index on (tag, content type, object) lets them read the ids from the index alone
# (its own index on tag_id alone sends every match to the table).
TAGGED_BY_TAG = "articles_taggeditem_by_tag"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_page_tree"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["id"], include=("published_at", "status"), name="article_live"
            ),
        ),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {TAGGED_BY_TAG} "
            "ON taggit_taggeditem (tag_id, content_type_id, object_id)",
            f"DROP INDEX IF EXISTS {TAGGED_BY_TAG}",
        ),
    ]
