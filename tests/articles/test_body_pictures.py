"""Pictures placed from inside the body editor: uploads take the image library's own path (checks,
clean copy, renditions), the library can be searched, and the alignment survives the sanitiser."""

import pytest
from PIL import Image as PILImage

from articles.models import Article, Image
from articles.sanitize import clean_html
from tests.articles.newsroom_roles import article_form_data, change_url
from tests.articles.test_images import picture_bytes, stored_files, upload
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/articles/article/upload-picture/"
LIBRARY_URL = "/admin/articles/article/library-pictures/"


def post_picture(client, file, **fields):
    data = {"file": file, "alt_text": "A blue field", "caption": "", "credit": ""}
    data.update(fields)
    return client.post(UPLOAD_URL, data)


def test_upload_from_the_editor_becomes_a_library_picture_with_renditions(
    contributor_client, contributor
):
    response = post_picture(
        contributor_client,
        upload("field.jpg", picture_bytes(size=(1600, 900), gps=True)),
        caption="A field",
        credit="Photo: Carla",
    )
    assert response.status_code == 201
    picture = response.json()["picture"]
    image = Image.objects.get()
    assert (image.alt_text, image.caption, image.credit) == (
        "A blue field",
        "A field",
        "Photo: Carla",
    )
    assert image.uploaded_by == contributor
    assert [r["width"] for r in image.renditions["webp"]] == [480, 800, 1200, 1600]
    assert picture["url"] == image.renditions["original"][2]["url"]  # the 1200px copy
    assert picture["thumbnail"] == image.renditions["webp"][0]["url"]
    assert (picture["alt"], picture["width"], picture["height"]) == ("A blue field", 1600, 900)
    with PILImage.open(image.file.path) as stored:  # the library's clean copy: no GPS position
        assert not stored.getexif().get_ifd(0x8825)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("notes.jpg", b"%PDF-1.7 not a picture", "not a picture"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        ("cut.jpg", picture_bytes()[:300], ""),
    ],
)
def test_a_refused_upload_says_why_and_stores_nothing(contributor_client, name, content, words):
    response = post_picture(contributor_client, upload(name, content))
    assert response.status_code == 400
    answer = response.json()
    assert answer["errors"]["file"] and answer["message"]
    assert words.lower() in answer["message"].lower()
    assert not Image.objects.exists()
    assert stored_files() == []


def test_an_upload_needs_alt_text(contributor_client):
    response = post_picture(contributor_client, upload("field.jpg", picture_bytes()), alt_text="")
    assert response.status_code == 400
    assert "alt_text" in response.json()["errors"]
    assert not Image.objects.exists()


def test_upload_is_post_only_and_needs_the_image_permission(client, contributor_client):
    assert contributor_client.get(UPLOAD_URL).status_code == 405
    client.logout()
    response = client.post(UPLOAD_URL, {"alt_text": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_library_is_searched_by_alt_text_caption_and_credit(contributor_client):
    for alt, caption, credit in [
        ("The river at dusk", "", ""),
        ("A market", "Spices in Aleppo", ""),
        ("A portrait", "", "Photo: Nadia Haddad"),
    ]:
        post_picture(
            contributor_client,
            upload("p.png", picture_bytes("PNG", size=(600, 400))),
            alt_text=alt,
            caption=caption,
            credit=credit,
        )

    def found(query):
        return [
            p["alt"] for p in contributor_client.get(LIBRARY_URL, {"q": query}).json()["pictures"]
        ]

    assert found("river") == ["The river at dusk"]
    assert found("aleppo") == ["A market"]
    assert found("haddad portrait") == ["A portrait"]
    assert found("nothing like this") == []
    assert len(found("")) == 3


@pytest.mark.parametrize("alignment", ["align-left", "align-right", "align-center", "align-wide"])
def test_the_sanitiser_keeps_our_alignment_classes_and_drops_others(alignment):
    html = (
        f'<figure class="{alignment} evil" style="float:left"><img src="/media/a.jpg" alt="A">'
        "<figcaption>Cap — Photo: X</figcaption></figure>"
    )
    assert clean_html(html) == (
        f'<figure class="{alignment}"><img src="/media/a.jpg" alt="A">'
        "<figcaption>Cap — Photo: X</figcaption></figure>"
    )
    assert clean_html('<p class="align-left">x</p>') == "<p>x</p>"


def test_an_aligned_library_picture_in_a_body_keeps_its_class_and_gets_its_srcset(
    editor_client,
):
    post_picture(editor_client, upload("field.jpg", picture_bytes(size=(1600, 900))))
    picture = editor_client.get(LIBRARY_URL).json()["pictures"][0]
    article = ArticleFactory(draft=True)
    body = (
        f'<figure class="align-right"><img src="{picture["url"]}" alt="A blue field">'
        "<figcaption>The field</figcaption></figure><p>Words beside it.</p>"
    )
    response = editor_client.post(
        change_url(article), article_form_data(article, step="save", body=body)
    )
    assert response.status_code == 302
    saved = Article.objects.get(pk=article.pk).body
    assert saved.startswith('<figure class="align-right"><img src=')
    assert 'srcset="' in saved and 'width="1600"' in saved
