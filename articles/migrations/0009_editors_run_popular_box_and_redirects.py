# The README gives the editor the "Popular" box overrides and the redirects; 0004 made the group
# without the permissions for the models added later (PopularOverride, LegacyRedirect, read counts).

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import EDITOR, grant_group_permissions

    grant_group_permissions(
        apps,
        EDITOR,
        "articles",
        {
            "popularoverride": ("add", "change", "delete", "view"),
            "legacyredirect": ("add", "change", "delete", "view"),
            "articleviewday": ("view",),
        },
    )


class Migration(migrations.Migration):

    dependencies = [("articles", "0008_editors_can_view_users")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
