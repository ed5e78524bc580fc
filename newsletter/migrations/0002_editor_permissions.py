"""Give the Editor group every permission on the newsletter's models, including sending issues."""

from django.db import migrations

from articles.roles import CRUD, EDITOR, grant_group_permissions


def grant(apps, schema_editor):
    grant_group_permissions(
        apps,
        EDITOR,
        "newsletter",
        {
            "subscriber": CRUD,
            "issue": (*CRUD, "send_issue"),
            "issuearticle": CRUD,
            "delivery": ("view",),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_subscribers_issues_deliveries"),
        ("articles", "0004_editor_and_contributor_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
