"""The writing desk in Chromium: autosave and its offer after a reload, the question before leaving
unsaved changes, spellcheck, pictures uploaded into the body, the contributor's list order, "View
on site" and every admin the editor is given. Screenshots go to test-artifacts/."""

import importlib
import time

import pytest
from django.apps import apps
from django.test import override_settings

from articles.models import Article, ArticleAutosave
from tests.articles.newsroom_roles import PASSWORD, make_contributor, make_editor
from tests.browser.conftest import ARTIFACTS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

EDITOR_BODY = ".prose-editor .ProseMirror[contenteditable=true]"


def log_in(page, username: str) -> None:
    page.open("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def own_draft(user, **kwargs) -> Article:
    return ArticleFactory(draft=True, created_by=user, authors=[user.author_profile], **kwargs)


def wait_for_autosave(user, article, words: str, seconds: float = 10) -> ArticleAutosave:
    deadline = time.monotonic() + seconds
    while True:
        kept = ArticleAutosave.objects.filter(user=user, article=article).first()
        if (kept and words in kept.body) or time.monotonic() > deadline:
            assert kept and words in kept.body, kept and kept.body
            return kept
        time.sleep(0.2)


@override_settings(ARTICLE_AUTOSAVE_SECONDS=1)
def test_autosave_keeps_typing_and_offers_it_back_after_a_reload(live_server, desktop_page):
    contributor = make_contributor("carla")
    article = own_draft(contributor, title="Field notes", body="<p>What was saved.</p>")
    page = desktop_page
    log_in(page, "carla")
    page.open(f"/admin/articles/article/{article.pk}/change/")
    editor = page.locator(EDITOR_BODY)
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" And a sentence typed but never saved.")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.startsWith('Autosaved at')"
    )
    # Typing may straddle an autosave: the next one (a second later) has the whole sentence.
    kept = wait_for_autosave(contributor, article, "a sentence typed but never saved.")
    assert kept.title == "Field notes"
    article.refresh_from_db()
    assert "typed but never saved" not in article.body  # nothing saved, nothing published
    assert article.status == Article.Status.DRAFT

    # Leaving with unsaved changes asks first.
    questions = []

    def answer(dialog):
        questions.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.reload()
    assert questions == ["beforeunload"]

    offer = page.locator("#autosave-offer")
    assert offer.is_visible()
    page.screenshot_as("autosave-offer")
    offer.get_by_role("button", name="Restore the autosaved text").click()
    assert "typed but never saved" in page.locator(EDITOR_BODY).inner_text()
    page.click("button[value=draft]")
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    article.refresh_from_db()
    assert "a sentence typed but never saved" in article.body
    assert not ArticleAutosave.objects.exists()
    assert questions == ["beforeunload"]  # saving is not leaving: no question
    assert not page.console_errors, page.console_errors


def test_spellcheck_is_on_in_the_body_editor(live_server, desktop_page):
    contributor = make_contributor("carla")
    article = own_draft(contributor, body="<p>Teh misspeled words.</p>")
    page = desktop_page
    log_in(page, "carla")
    page.open(f"/admin/articles/article/{article.pk}/change/")
    editor = page.locator(EDITOR_BODY)
    assert editor.get_attribute("spellcheck") != "false"
    assert editor.evaluate("element => element.spellcheck") is True


def test_contributors_own_drafts_and_reviews_come_first(live_server, desktop_page):
    contributor = make_contributor("carla")
    for n in range(3):
        ArticleFactory(
            title=f"Published piece {n}",
            created_by=contributor,
            authors=[contributor.author_profile],
        )
    own_draft(contributor, title="My unfinished draft")
    ArticleFactory(
        in_review=True,
        title="My piece in review",
        created_by=contributor,
        authors=[contributor.author_profile],
    )
    page = desktop_page
    log_in(page, "carla")
    page.open("/admin/articles/article/")
    titles = page.locator("#result_list tbody th a").all_inner_texts()
    assert set(titles[:2]) == {"My unfinished draft", "My piece in review"}, titles
    page.screenshot_as("contributor-list")


def test_view_on_site_goes_to_site_url(live_server, desktop_page, settings):
    settings.SITE_URL = live_server.url
    make_editor("edith")
    article = ArticleFactory(title="A published piece")
    page = desktop_page
    log_in(page, "edith")
    page.open(f"/admin/articles/article/{article.pk}/change/")
    link = page.get_by_role("link", name="View on site")
    assert link.get_attribute("href") == live_server.url + article.get_absolute_url()
    link.click()
    page.wait_for_url(live_server.url + article.get_absolute_url())
    assert page.locator("h1").inner_text() == "A published piece"


EDITOR_ADMINS = [
    "Articles",
    "Authors",
    "Categories",
    "Images",
    "Legacy redirects",
    "Menu items",
    "Pages",
    "Popular box overrides",
    "Publication settings",
    "Redirects",
    "Tags",
    "Subscribers",
    "Issues",
    "Campaigns",
    "Donations",
    "Sidebar blocks",
]


def test_editor_opens_every_admin_the_readme_gives_them(live_server, desktop_page):
    make_editor("edith")
    # A transactional test starts from a flushed database: grant what the apps' migrations grant.
    for migration in (
        "newsletter.migrations.0002_editor_permissions",
        "donations.migrations.0002_editor_permissions",
    ):
        importlib.import_module(migration).grant(apps, None)
    page = desktop_page
    log_in(page, "edith")
    listed = page.locator("#content-main .module th[scope=row] a").all_inner_texts()
    missing = [name for name in EDITOR_ADMINS if name not in listed]
    assert not missing, f"not on the editor's admin home: {missing} (listed: {listed})"
    for name in EDITOR_ADMINS:
        page.open("/admin/")
        link = page.locator("#content-main .module th[scope=row] a", has_text=name).first
        href = link.get_attribute("href")
        response = page.goto(live_server.url + href)
        assert response.status == 200, f"{name} ({href}) answered {response.status}"
        assert page.locator("#changelist, #content-main form").count(), name
    assert not page.console_errors, page.console_errors


def test_a_forbidden_admin_page_keeps_the_admin_layout(live_server, desktop_page):
    make_contributor("carla")
    other = ArticleFactory(draft=True, title="Someone else's draft")
    page = desktop_page
    log_in(page, "carla")
    response = page.goto(f"{live_server.url}/admin/articles/article/{other.pk}/change/")
    assert response.status == 403
    assert "another writer" in page.locator(".errornote").inner_text()
    assert page.locator("#header").is_visible()
    page.screenshot_as("forbidden")
    page.locator("#content-main th[scope=row] a", has_text="Articles").click()
    page.wait_for_url("**/admin/articles/article/")


LONG_TEXT = " ".join(
    "The delta loses ground every year as the river carries less silt and the sea rises."
    for _ in range(6)
)


def screenshot_of_editor(page, name: str) -> None:
    """The body editor alone (its toolbar and text), for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{page.artifact_prefix}-{name}.png"
    page.locator(".field-body").screenshot(path=str(path))


def insert_picture_by_upload(page, picture_file, *, alt: str, caption: str, align: str) -> None:
    page.click("button[aria-label='figure']")
    dialog = page.locator("dialog.body-picture-dialog[open]")
    dialog.locator("input[type=file]").set_input_files(str(picture_file))
    dialog.locator(".body-picture-preview").wait_for(state="visible")
    dialog.get_by_label("Alternative text").fill(alt)
    dialog.get_by_label("Caption").fill(caption)
    dialog.get_by_label("Credit").fill("Photo: Carla")
    dialog.get_by_label(align).check()
    dialog.get_by_role("button", name="Insert").click()
    dialog.wait_for(state="detached")


def test_a_picture_uploaded_inside_the_editor_lands_in_the_body_with_alt_text(
    live_server, desktop_page, tmp_path
):
    from PIL import Image as PILImage

    from articles.models import Image
    from tests.browser.test_publishing import serve_media

    contributor = make_contributor("carla")
    article = own_draft(contributor, title="The shrinking delta", body=f"<p>{LONG_TEXT}</p>")
    picture_file = tmp_path / "delta.jpg"
    PILImage.new("RGB", (1400, 900), (40, 110, 150)).save(picture_file, "JPEG")
    page = desktop_page
    serve_media(page)
    log_in(page, "carla")
    page.open(f"/admin/articles/article/{article.pk}/change/")
    editor = page.locator(EDITOR_BODY)
    editor.locator("p").first.click()
    page.keyboard.press("Control+Home")

    # Without alt text the dialog says what is missing and inserts nothing.
    page.click("button[aria-label='figure']")
    dialog = page.locator("dialog.body-picture-dialog[open]")
    dialog.locator("input[type=file]").set_input_files(str(picture_file))
    dialog.get_by_role("button", name="Insert").click()
    assert "alternative text" in dialog.locator(".body-picture-problem").inner_text()
    dialog.get_by_role("button", name="Cancel").click()
    assert editor.locator("figure").count() == 0

    insert_picture_by_upload(
        page,
        picture_file,
        alt="Fishing boats pulled up on the mud",
        caption="The old harbour",
        align="Left, text wraps round it",
    )
    figure = editor.locator("figure")
    figure.locator("img").wait_for()
    assert figure.get_attribute("class") == "align-left"
    assert figure.locator("img").get_attribute("alt") == "Fishing boats pulled up on the mud"
    assert figure.locator("figcaption").inner_text() == "The old harbour — Photo: Carla"
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=figure.locator("img").element_handle()
    )
    figure.scroll_into_view_if_needed()
    screenshot_of_editor(page, "editor-picture-left")

    image = Image.objects.get()  # the library's picture, with its renditions
    assert image.alt_text == "Fishing boats pulled up on the mud"
    assert image.credit == "Photo: Carla"
    assert image.renditions["webp"]

    # Re-align the same picture to the right through the dialog (the figure is selected).
    figure.locator("img").click()
    page.click("button[aria-label='figure']")
    dialog = page.locator("dialog.body-picture-dialog[open]")
    assert dialog.get_by_label("Alternative text").input_value() == image.alt_text
    dialog.get_by_label("Right, text wraps round it").check()
    dialog.get_by_role("button", name="Update").click()
    dialog.wait_for(state="detached")
    assert figure.get_attribute("class") == "align-right"
    figure.scroll_into_view_if_needed()
    screenshot_of_editor(page, "editor-picture-right")

    page.click("button[value=draft]")
    page.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    article.refresh_from_db()
    assert '<figure class="align-right"><img src="' in article.body
    assert 'alt="Fishing boats pulled up on the mud"' in article.body
    assert 'srcset="' in article.body  # a library picture: responsive on the site
    assert "<figcaption>The old harbour — Photo: Carla</figcaption>" in article.body
    assert not page.console_errors, page.console_errors

    # On the site (the writer's preview) the picture sits on the right with the text beside it.
    page.open(f"/preview/{article.pk}/")
    on_site = page.locator(".entry-content figure.align-right")
    assert on_site.evaluate("figure => getComputedStyle(figure).float") == "right"
    assert on_site.locator("img").get_attribute("srcset")
    on_site.scroll_into_view_if_needed()
    page.screenshot_as("site-picture-right")


def test_a_picture_dropped_or_pasted_on_the_text_asks_for_alt_text_then_goes_in(
    live_server, desktop_page, tmp_path
):
    import base64

    from PIL import Image as PILImage

    from tests.browser.test_publishing import serve_media

    contributor = make_contributor("carla")
    article = own_draft(contributor, body="<p>First paragraph.</p><p>Second paragraph.</p>")
    picture_file = tmp_path / "dropped.png"
    PILImage.new("RGB", (900, 600), (150, 60, 40)).save(picture_file, "PNG")
    page = desktop_page
    serve_media(page)
    log_in(page, "carla")
    page.open(f"/admin/articles/article/{article.pk}/change/")
    target = page.locator(EDITOR_BODY).locator("p").nth(1)
    target.wait_for()
    # A real drag from the desktop: a DataTransfer carrying the file, dropped on the paragraph.
    page.evaluate(
        """([selector, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const file = new File([bytes], "dropped.png", {type: "image/png"});
            const transfer = new DataTransfer();
            transfer.items.add(file);
            const target = document.querySelector(selector);
            const box = target.getBoundingClientRect();
            const options = {dataTransfer: transfer, bubbles: true, cancelable: true,
                             clientX: box.left + 5, clientY: box.top + 5};
            target.dispatchEvent(new DragEvent("dragover", options));
            target.dispatchEvent(new DragEvent("drop", options));
        }""",
        [
            f"{EDITOR_BODY} p:nth-of-type(2)",
            base64.b64encode(picture_file.read_bytes()).decode(),
        ],
    )
    dialog = page.locator("dialog.body-picture-dialog[open]")
    dialog.locator(".body-picture-preview").wait_for(state="visible")
    assert dialog.locator(".body-picture-preview-name").inner_text() == "dropped.png"
    dialog.get_by_label("Alternative text").fill("A red square")
    dialog.get_by_label("Wide").check()
    dialog.get_by_role("button", name="Insert").click()
    dialog.wait_for(state="detached")
    figure = page.locator(EDITOR_BODY).locator("figure.align-wide")
    assert figure.locator("img").get_attribute("alt") == "A red square"
    assert target.count() == 1

    # Pasting a picture (a screenshot copied to the clipboard) opens the same dialog.
    page.locator(EDITOR_BODY).locator("p").first.click()
    page.evaluate(
        """([selector, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "pasted.png", {type: "image/png"}));
            document.querySelector(selector).dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true})
            );
        }""",
        [EDITOR_BODY, base64.b64encode(picture_file.read_bytes()).decode()],
    )
    dialog = page.locator("dialog.body-picture-dialog[open]")
    dialog.locator(".body-picture-preview").wait_for(state="visible")
    assert dialog.locator(".body-picture-preview-name").inner_text() == "pasted.png"
    dialog.get_by_label("Alternative text").fill("The same red square, pasted")
    dialog.get_by_role("button", name="Insert").click()
    dialog.wait_for(state="detached")
    assert page.locator(EDITOR_BODY).locator("figure img").count() == 2
    assert not page.console_errors, page.console_errors
