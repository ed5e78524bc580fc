"""Whatever the editor (or a forged post) sends, only the allow-list reaches readers."""

import pytest

from articles.models import Article
from articles.sanitize import clean_html
from tests.articles.newsroom_roles import (
    add_url,
    article_form_data,
    change_url,
    make_contributor,
    make_editor,
)

HOSTILE = (
    "<h2>Heading stays</h2>"
    "<p>Hello <strong>bold</strong> <a href='https://example.org/report'>a source</a>.</p>"
    "<script>alert('script')</script>"
    '<p onclick="alert(\'handler\')" style="position:fixed;top:0">Styled paragraph</p>'
    "<a href='javascript:alert(1)'>js link</a>"
    "<a href='JaVaScRiPt:alert(2)'>mixed-case js link</a>"
    "<a href='data:text/html;base64,PHNjcmlwdD4='>data link</a>"
    "<img src='x' onerror=\"alert('img')\" alt='broken'>"
    "<svg onload=\"alert('svg')\"><circle r='5'/></svg>"
    "<iframe src='https://evil.example/'></iframe>"
    "<style>body{display:none}</style>"
    "<form action='https://evil.example/'><input name='password'></form>"
    "<object data='evil.swf'></object>"
    "<div><blockquote cite='https://example.org'>Quoted</blockquote></div>"
)
MUST_NOT_APPEAR = [
    "<script",
    "alert(",
    "onclick",
    "onerror",
    "onload",
    "javascript:",
    "JaVaScRiPt",
    "data:text/html",
    "position:fixed",
    "<iframe",
    "<style",
    "<form",
    "<input",
    "<object",
    "<svg",
    "evil.example",
]


def test_clean_html_keeps_structure_and_drops_everything_hostile():
    cleaned = clean_html(HOSTILE)
    for fragment in MUST_NOT_APPEAR:
        assert fragment not in cleaned, fragment
    assert "<h2>Heading stays</h2>" in cleaned
    assert "<strong>bold</strong>" in cleaned
    assert '<a href="https://example.org/report" rel="noopener noreferrer">a source</a>' in cleaned
    assert '<blockquote cite="https://example.org">Quoted</blockquote>' in cleaned
    assert "<p>Styled paragraph</p>" in cleaned


def test_clean_html_keeps_figures_lists_and_tables():
    html = (
        '<figure><img src="/media/renditions/a-800w.jpg" alt="A dam" width="800" height="533">'
        "<figcaption>The dam</figcaption></figure>"
        "<ul><li>one</li></ul><ol start='3'><li>three</li></ol>"
        "<table><tbody><tr><td>cell</td></tr></tbody></table>"
    )
    cleaned = clean_html(html)
    assert (
        '<img src="/media/renditions/a-800w.jpg" alt="A dam" width="800" height="533">' in cleaned
    )
    assert "<figcaption>The dam</figcaption>" in cleaned
    assert '<ol start="3">' in cleaned and "<td>cell</td>" in cleaned


@pytest.mark.django_db
def test_hostile_html_posted_by_a_contributor_is_neutralised_on_the_public_page(client):
    contributor = make_contributor()
    client.force_login(contributor)
    response = client.post(
        add_url(), article_form_data(title="Hostile body", body=HOSTILE, step="review")
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Hostile body")
    for fragment in MUST_NOT_APPEAR:
        assert fragment not in article.body, fragment

    client.force_login(make_editor())
    client.post(change_url(article), article_form_data(article, step="publish"))
    client.logout()
    article.refresh_from_db()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    body = page.text.split('class="entry-content"', 1)[1].split("</div>", 1)[0]
    for fragment in MUST_NOT_APPEAR:
        assert fragment not in body, fragment
    assert "Heading stays" in body and "a source" in body


# --- Embeds of the allowed kinds: a lone YouTube/Vimeo address becomes a click-to-load player.


def test_a_lone_video_address_becomes_a_click_to_load_player():
    cleaned = clean_html(
        "<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>"
        '<p><a href="https://vimeo.com/12345">https://vimeo.com/12345</a></p>'
    )
    assert (
        '<div class="video-embed" data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"'
        in cleaned
    )
    assert 'data-embed-src="https://player.vimeo.com/video/12345?dnt=1"' in cleaned
    assert "<iframe" not in cleaned  # the player loads only when the reader asks
    assert clean_html(cleaned) == cleaned  # saving again changes nothing


def test_the_box_survives_the_editor_turning_it_into_a_linked_paragraph():
    box = clean_html("<p>https://youtu.be/dQw4w9WgXcQ</p>")
    as_the_editor_sends_it = '<p><a href="https://youtu.be/dQw4w9WgXcQ">Play video (loads the player from YouTube)</a></p>'
    assert clean_html(as_the_editor_sends_it) == box


def test_links_in_sentences_and_other_hosts_stay_links():
    html = (
        '<p>Watch <a href="https://youtu.be/dQw4w9WgXcQ">this</a> first.</p>'
        '<p><a href="https://example.org/video">https://example.org/video</a></p>'
    )
    cleaned = clean_html(html)
    assert "video-embed" not in cleaned
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in cleaned


def test_a_forged_player_address_is_dropped():
    cleaned = clean_html(
        '<div class="video-embed" data-embed-src="https://evil.example/embed">'
        '<a class="video-embed__load" href="https://evil.example/">Play</a></div>'
    )
    assert "evil.example/embed" not in cleaned


def test_srcset_keeps_only_addresses_src_would_keep():
    cleaned = clean_html(
        '<p><img src="/media/a.jpg" alt="A" srcset="/media/a-400.jpg 400w, '
        "javascript:alert(1) 800w, https://cdn.example.org/a-1200.jpg 1200w, "
        'java&#9;script:alert(2) 2x, data:text/html;base64,PHNjcmlwdD4= 3x"></p>'
    )
    assert "javascript" not in cleaned
    assert "script:" not in cleaned
    assert "data:" not in cleaned
    assert 'srcset="/media/a-400.jpg 400w, https://cdn.example.org/a-1200.jpg 1200w' in cleaned


def test_a_srcset_with_nothing_safe_left_is_dropped():
    cleaned = clean_html('<p><img src="/a.jpg" alt="A" srcset="javascript:alert(1) 1x, ,"></p>')
    assert "srcset" not in cleaned
    assert 'src="/a.jpg"' in cleaned
