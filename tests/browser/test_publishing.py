"""From a contributor's draft to the front page, in Chromium: the contributor uploads a picture and
writes an article with a heading, a link and the picture in the rich-text editor, then submits it;
the editor finds it waiting on the dashboard, schedules it a minute ahead, then publishes it now; a
reader sees it on the home page. Screenshots of each step go to test-artifacts/."""

import datetime
import mimetypes
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, Image
from tests.articles.newsroom_roles import PASSWORD, make_contributor, make_editor
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "What the River Carries"
REPORT_URL = "https://example.org/river-report"


def serve_media(page) -> None:
    """The live server does not serve uploads (DEBUG is off); answer /media/ from MEDIA_ROOT."""

    def fulfil(route):
        name = route.request.url.split(settings.MEDIA_URL, 1)[1].split("?")[0]
        path = Path(settings.MEDIA_ROOT) / name
        if path.is_file():
            route.fulfill(
                path=str(path),
                content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            )
        else:
            route.fulfill(status=404, body="missing")

    page.route(f"**{settings.MEDIA_URL}**", fulfil)


def log_in(page, username: str) -> None:
    page.open("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def csp_errors(page) -> list[str]:
    return [e for e in page.console_errors if "Content Security Policy" in e]


def test_contributor_writes_editor_publishes_reader_reads(
    browser, live_server, desktop_page, tmp_path
):
    contributor = make_contributor("carla")
    make_editor("edith")
    ArticleFactory(title="An older story")
    picture_file = tmp_path / "river.jpg"
    PILImage.new("RGB", (1400, 900), (40, 110, 150)).save(picture_file, "JPEG")

    # --- The contributor uploads a picture to the library.
    page = desktop_page
    serve_media(page)
    log_in(page, "carla")
    page.screenshot_as("1-contributor-dashboard")
    page.open("/admin/articles/image/add/")
    page.set_input_files("#id_file", str(picture_file))
    page.fill("#id_alt_text", "The river at dusk, seen from the bridge")
    page.fill("#id_credit", "Photo: Carla")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/image/")
    image = Image.objects.get()
    assert [r["width"] for r in image.renditions["webp"]] == [480, 800, 1200, 1400]
    page.screenshot_as("2-image-library")
    picture_url = image.renditions["original"][-2]["url"]  # the body-sized (1200px) copy

    # --- …and writes the article in the rich-text editor.
    page.open("/admin/articles/article/add/")
    page.fill("#id_title", TITLE)
    page.fill("#id_dek", "Sediment, salt and the politics of a shrinking delta.")
    editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("## Downstream")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the full report")
    page.keyboard.press("Enter")
    page.keyboard.type("The delta loses ground every year.")
    page.click("button[aria-label='figure']")
    dialog = page.locator("dialog[open]")
    # The picture dialog offers the library's pictures; choosing one fills in its alt text.
    dialog.get_by_label("Or choose from the library").fill("river")
    dialog.locator(".body-picture-choice", has_text=image.alt_text).click()
    assert dialog.get_by_label("Alternative text").input_value() == image.alt_text
    dialog.get_by_label("Caption").fill("The river at dusk.")
    dialog.get_by_role("button", name="Insert").click()
    dialog.wait_for(state="detached")
    editor.locator("figure img").wait_for()
    # Last, the link: select the word "report" (checked before acting, as the editor restores
    # its own selection when a dialog closes) and link it. Nothing is typed afterwards.
    editor.get_by_text("Read the full report").click()
    page.keyboard.press("End")
    for _ in range(len("report")):
        page.keyboard.press("Shift+ArrowLeft")
    page.wait_for_function("() => window.getSelection().toString() === 'report'")
    page.click("button[aria-label='insert link']")
    dialog = page.locator("dialog[open]")
    dialog.locator("input[name=href]").fill(REPORT_URL)
    dialog.locator("button[type=submit]").click()
    editor.locator(f"a[href='{REPORT_URL}']").wait_for()
    assert editor.locator("h2").inner_text() == "Downstream"
    live_length = page.locator(".field-reading_stats .readonly").inner_text()
    page.screenshot_as("3-contributor-writes")
    assert page.locator("button[value=publish]").count() == 0  # no publish button for them
    page.click("button[value=review]")
    page.wait_for_url("**/admin/articles/article/")
    assert "Submitted “What the River Carries” for review" in page.content()
    page.screenshot_as("4-submitted-for-review")

    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.REVIEW
    assert article.created_by == contributor
    assert "<h2>Downstream</h2>" in article.body
    assert f'<a href="{REPORT_URL}" rel="noopener noreferrer">report</a>' in article.body
    assert f'src="{picture_url}"' in article.body
    # The length shown while typing is the one the server computes.
    assert live_length == f"{article.word_count} words · 1 min read"
    assert article.word_count >= 14
    assert not csp_errors(page), csp_errors(page)

    # --- The editor sees it waiting, schedules it a minute ahead…
    editor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    from tests.browser.conftest import BrowserPage

    editor_page = BrowserPage(
        editor_context.new_page(), live_server.url, page.artifact_prefix + "-editor"
    )
    serve_media(editor_page)
    log_in(editor_page, "edith")
    waiting = editor_page.locator("#newsroom-dashboard").get_by_role("link", name=TITLE)
    assert waiting.is_visible()
    editor_page.screenshot_as("5-editor-dashboard")
    waiting.click()
    editor_page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    in_a_minute = timezone.localtime() + datetime.timedelta(minutes=1)
    editor_page.fill("#id_published_at_0", in_a_minute.strftime("%Y-%m-%d"))
    editor_page.fill("#id_published_at_1", in_a_minute.strftime("%H:%M:%S"))
    editor_page.click("button[value=schedule]")
    editor_page.wait_for_url("**/admin/articles/article/")
    editor_page.screenshot_as("6-editor-scheduled")
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED

    # A reader does not see it yet.
    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = BrowserPage(
        reader_context.new_page(), live_server.url, page.artifact_prefix + "-reader"
    )
    serve_media(reader)
    reader.open("/")
    assert reader.get_by_role("link", name=TITLE).count() == 0

    # …then changes their mind and publishes it now.
    editor_page.open(f"/admin/articles/article/{article.pk}/change/")
    editor_page.click("button[value=publish]")
    editor_page.wait_for_url("**/admin/articles/article/")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert not csp_errors(editor_page), csp_errors(editor_page)

    # --- A reader finds it on the home page and reads it.
    reader.open("/")
    link = reader.get_by_role("link", name=TITLE).first
    assert link.is_visible()
    reader.screenshot_as("7-reader-home")
    link.click()
    reader.wait_for_url(f"**{article.get_absolute_url()}")
    content = reader.locator(".entry-content")
    assert content.locator("h2").inner_text() == "Downstream"
    assert content.get_by_role("link", name="report").get_attribute("href") == REPORT_URL
    body_image = content.locator("img")
    body_image.scroll_into_view_if_needed()
    reader.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=body_image.element_handle()
    )
    reader.screenshot_as("8-reader-article")
    assert not reader.console_errors, reader.console_errors
    editor_context.close()
    reader_context.close()
