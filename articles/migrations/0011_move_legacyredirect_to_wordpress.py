# LegacyRedirect now belongs to the `wordpress` app (wordpress/migrations/0001_initial.py), which
# keeps its table: only the migration state forgets it here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0010_article_autosave"),
        ("wordpress", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LegacyRedirect")],
            database_operations=[],
        ),
    ]
