"""Editors set when the digests go out (the digest schedule in the admin)."""

from django.db import migrations

from articles.roles import EDITOR, grant_group_permissions


def grant(apps, schema_editor):
    grant_group_permissions(apps, EDITOR, "newsletter", {"digestschedule": ("view", "change")})


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0004_deferred_copies_and_digest_schedule")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
