# Editors link bylines to logins (Author.user, an autocomplete), which needs the view permission on
# users; 0004 made the group without it.

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import EDITOR, grant_group_permissions

    grant_group_permissions(apps, EDITOR, "auth", {"user": ("view",)})


class Migration(migrations.Migration):

    dependencies = [("articles", "0007_article_title_search_index")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
