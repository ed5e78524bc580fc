# LegacyRedirect moves here from `articles` with its table (articles_legacyredirect) and rows: the
# model is created in the migration state only, and its content type follows, with its permissions
# and the Editor group's hold on them (articles 0009 granted those).

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="articles", target="wordpress"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=source, model="legacyredirect")
    if moving.exists():  # a row post_migrate made meanwhile gives way to the one groups point at
        ContentType.objects.filter(app_label=target, model="legacyredirect").delete()
        moving.update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="wordpress", target="articles")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("articles", "0010_article_autosave"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LegacyRedirect",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("old_path", models.CharField(help_text="The old path, such as /2019/05/03/my-post/.", max_length=500, unique=True)),
                        ("article", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="legacy_redirects", to="articles.article")),
                        ("image", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="legacy_redirects", to="articles.image")),
                        ("page", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="legacy_redirects", to="articles.page")),
                    ],
                    options={
                        "db_table": "articles_legacyredirect",
                        "ordering": ["old_path"],
                        "constraints": [models.CheckConstraint(condition=models.Q(models.Q(("article__isnull", False), ("image__isnull", True), ("page__isnull", True)), models.Q(("article__isnull", True), ("image__isnull", True), ("page__isnull", False)), models.Q(("article__isnull", True), ("image__isnull", False), ("page__isnull", True)), _connector="OR"), name="legacyredirect_exactly_one_target")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
