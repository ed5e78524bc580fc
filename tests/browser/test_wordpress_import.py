"""An imported WordPress site in Chromium: an old ?p= link lands on the new article, the page
passes axe-core, and a YouTube link from the old body plays through our click-to-load box."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

pytestmark = pytest.mark.django_db(transaction=True)

SITE = Path(__file__).resolve().parents[1] / "wordpress" / "wordpress_fixtures" / "site.xml"


@pytest.fixture
def imported_site(tmp_path):
    folder = tmp_path / "uploads" / "2019" / "05"
    folder.mkdir(parents=True)
    PILImage.new("RGB", (900, 600), (20, 90, 160)).save(folder / "river.jpg", "JPEG")
    PILImage.new("RGB", (400, 300), (200, 120, 20)).save(folder / "dam.png", "PNG")
    call_command(
        "import_wordpress", str(SITE), media_dir=tmp_path / "uploads", stdout=io.StringIO()
    )


def test_an_old_link_opens_the_imported_article_and_its_video_plays(imported_site, desktop_page):
    desktop_page.open("/?p=101")
    assert desktop_page.url.endswith("/2019/05/03/rivers-run-dry/")
    assert desktop_page.locator("h1").inner_text() == "Rivers run dry"
    desktop_page.assert_accessible()
    desktop_page.click(".entry-content .video-embed__load")
    frame = desktop_page.wait_for_selector(".entry-content .video-embed iframe", state="attached")
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    desktop_page.screenshot_as("imported-article")
    assert desktop_page.console_errors == []


LEVANT = Path(__file__).resolve().parents[1] / "wordpress" / "exports" / "levant.xml"
OVERFLOWS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def imported_levant():
    call_command("import_wordpress", str(LEVANT), stdout=io.StringIO())


def test_an_imported_body_keeps_its_layout_on_a_wide_screen(imported_levant, desktop_page):
    desktop_page.open("/2020/01/15/classic-editor/")
    assert not desktop_page.evaluate(OVERFLOWS)  # the long address and <pre> stay in the column
    columns = desktop_page.eval_on_selector(
        ".gallery", "el => getComputedStyle(el).gridTemplateColumns.split(' ').length"
    )
    assert columns == 2  # [gallery columns="2"]
    assert (
        desktop_page.eval_on_selector(
            ".entry-content img.align-left", "el => getComputedStyle(el).float"
        )
        == "left"
    )
    assert (
        desktop_page.eval_on_selector(
            ".entry-content p.text-center", "el => getComputedStyle(el).textAlign"
        )
        == "center"
    )
    pre = desktop_page.eval_on_selector(
        ".entry-content pre",
        "el => [el.scrollWidth > el.clientWidth, getComputedStyle(el).overflowX]",
    )
    assert pre == [True, "auto"]  # scrolls inside the column
    desktop_page.open("/2020/01/15/block-editor/")
    assert (
        desktop_page.eval_on_selector(
            ".gallery", "el => getComputedStyle(el).gridTemplateColumns.split(' ').length"
        )
        == 3
    )
    assert desktop_page.locator(".media--audio audio[controls]").count() == 1
    desktop_page.assert_accessible()


def test_an_imported_body_stacks_on_a_phone(imported_levant, phone_page):
    phone_page.open("/2020/01/15/classic-editor/")
    assert not phone_page.evaluate(OVERFLOWS)
    assert (
        phone_page.eval_on_selector(
            ".entry-content img.align-left", "el => getComputedStyle(el).float"
        )
        == "none"
    )
    phone_page.open("/2020/01/15/block-editor/")
    assert (
        phone_page.eval_on_selector(
            ".gallery", "el => getComputedStyle(el).gridTemplateColumns.split(' ').length"
        )
        == 2
    )
    assert not phone_page.evaluate(OVERFLOWS)
    phone_page.screenshot_as("imported-gallery-phone")
