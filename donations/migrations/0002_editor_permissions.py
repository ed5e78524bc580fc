# The Editor group runs the support side: donations, campaigns, promotions, social links, sidebar blocks.

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import CRUD, grant_group_permissions

    grant_group_permissions(
        apps,
        "Editor",
        "donations",
        {
            "donation": CRUD,
            "campaign": CRUD,
            "promotion": CRUD,
            "sociallink": CRUD,
            "sidebarblock": CRUD,
            "donationsettings": ("change", "view"),
            "paypalnotification": ("change", "view"),
        },
    )


class Migration(migrations.Migration):

    dependencies = [
        ("donations", "0001_initial"),
        ("articles", "0004_editor_and_contributor_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
