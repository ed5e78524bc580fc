from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_search_vector_stored_inline")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("featured", True)),
                fields=["-published_at", "-id"],
                name="article_featured_newest",
            ),
        ),
    ]
