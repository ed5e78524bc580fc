"""Editors see login lockouts and lift them (a writer locked out asks the editor, not a superuser)."""

from django.db import migrations

from articles.roles import EDITOR, grant_group_permissions


def grant(apps, schema_editor):
    grant_group_permissions(apps, EDITOR, "logins", {"loginlockout": ("view", "change", "delete")})


class Migration(migrations.Migration):
    dependencies = [
        ("logins", "0001_login_lockouts"),
        ("articles", "0004_editor_and_contributor_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
