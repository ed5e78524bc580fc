"""`make_wxr` writes a synthetic WordPress export for the import benchmark."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article, Page

pytestmark = pytest.mark.django_db


def test_make_wxr_writes_an_export_the_importer_reads(tmp_path, client):
    export = tmp_path / "bench.xml"
    call_command("make_wxr", str(export), posts=25, pages=2, stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_wordpress", str(export), stdout=out, stderr=io.StringIO())
    assert Article.objects.count() == 25
    assert Page.objects.count() == 2
    article = Article.objects.published().first()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "created" in out.getvalue()
