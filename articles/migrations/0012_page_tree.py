# Pages nest (WordPress's page tree): a parent, and the address path kept on the row. Existing
# pages sit at the top level, so their path is their slug.

import django.db.models.deletion
from django.db import migrations, models


def paths_from_slugs(apps, schema_editor):
    Page = apps.get_model("articles", "Page")
    Page.objects.update(path=models.F("slug"))


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_move_legacyredirect_to_wordpress'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='page',
            options={'ordering': ['path']},
        ),
        migrations.AddField(
            model_name='page',
            name='parent',
            field=models.ForeignKey(blank=True, help_text='A page above this one: its address becomes /parent/this-page/.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='articles.page'),
        ),
        migrations.AddField(
            model_name='page',
            name='path',
            field=models.CharField(default='', editable=False, max_length=500),
            preserve_default=False,
        ),
        migrations.RunPython(paths_from_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='page',
            name='path',
            field=models.CharField(editable=False, max_length=500, unique=True),
        ),
        migrations.AlterField(
            model_name='page',
            name='slug',
            field=models.SlugField(allow_unicode=True, help_text='The last part of the address; letters of any script, digits and dashes.', max_length=120, unique=True),
        ),
    ]
