"""The image library: upload checks with clear messages, renditions made at upload, no EXIF GPS."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image as PILImage

from articles.models import Article, Image
from articles.renditions import (
    MAX_UPLOAD_BYTES,
    add_image,
    check_upload,
    rendition_widths,
)
from tests.articles.newsroom_roles import make_contributor, make_editor

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ADD_URL = "/admin/articles/image/add/"


def picture_bytes(fmt: str = "JPEG", size=(1000, 600), *, gps: bool = False, mode="RGB") -> bytes:
    picture = PILImage.new(mode, size, (30, 90, 160) if mode == "RGB" else 1)
    buffer = io.BytesIO()
    options = {}
    if gps:
        exif = PILImage.Exif()
        exif[0x010F] = "Camera maker"
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)})
        options["exif"] = exif.tobytes()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def post_image(client, file: SimpleUploadedFile, alt_text: str = "A blue field"):
    return client.post(ADD_URL, {"file": file, "alt_text": alt_text, "caption": "", "credit": ""})


# --- A good upload


def test_upload_makes_webp_and_original_renditions_at_several_widths(contributor_client):
    response = post_image(contributor_client, upload("field.jpg", picture_bytes(size=(1000, 600))))
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (1000, 600)
    assert image.renditions["original_type"] == "image/jpeg"
    assert [r["width"] for r in image.renditions["webp"]] == [480, 800, 1000]
    assert [r["width"] for r in image.renditions["original"]] == [480, 800, 1000]
    assert image.renditions["webp"][0]["height"] == 288
    for entry in image.renditions["webp"] + image.renditions["original"]:
        path = Path(settings.MEDIA_ROOT) / entry["name"]
        assert path.exists() and entry["url"].startswith(settings.MEDIA_URL)
        with PILImage.open(path) as made:
            assert made.width == entry["width"]
            assert made.format == ("WEBP" if entry["name"].endswith(".webp") else "JPEG")


def test_upload_records_who_uploaded(contributor_client):
    post_image(contributor_client, upload("field.png", picture_bytes("PNG"), "image/png"))
    assert Image.objects.get().uploaded_by.username == "carla"


def test_rendition_widths_never_upscale():
    assert rendition_widths(300) == [300]
    assert rendition_widths(1200) == [480, 800, 1200]
    assert rendition_widths(4000) == [480, 800, 1200, 1600]


def test_gps_location_is_stripped_from_the_stored_file_and_renditions(contributor_client):
    original = picture_bytes(gps=True)
    with PILImage.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS_IFD)  # the test file really carries a location
    post_image(contributor_client, upload("holiday.jpg", original))
    image = Image.objects.get()
    names = [image.file.name] + [r["name"] for r in image.renditions["original"]]
    for name in names:
        with PILImage.open(Path(settings.MEDIA_ROOT) / name) as served:
            assert not served.getexif().get_ifd(GPS_IFD), name
            assert b"48" not in served.info.get("exif", b"")


def test_alt_text_is_required(contributor_client):
    response = post_image(contributor_client, upload("field.jpg", picture_bytes()), alt_text="")
    assert response.status_code == 200
    assert not Image.objects.exists() and stored_files() == []


# --- Refused uploads: a clear message, nothing stored


def truncated_jpeg() -> bytes:
    data = picture_bytes(size=(800, 800))
    return data[: len(data) // 2]


def decompression_bomb() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("1", (12_000, 12_000)).save(buffer, "PNG")  # 144 megapixels in a few kB
    return buffer.getvalue()


REFUSALS = [
    ("notes.jpg", b"This is a text file, not a picture.\n" * 20, "not a picture we can read"),
    ("cut-off.jpg", truncated_jpeg(), "damaged or incomplete"),
    ("bomb.png", decompression_bomb(), "megapixels"),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="5"/></svg>',
        "SVG files are not accepted",
    ),
    ("sneaky.jpg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG files"),
    ("photo.jpg", picture_bytes("PNG"), "really a PNG image, but its name ends in “.jpg”"),
    ("photo.png", picture_bytes("JPEG"), "Rename it to end in “.jpg”"),
    ("animation.tiff", picture_bytes("TIFF"), "TIFF image"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_upload_says_why_and_leaves_nothing_behind(
    contributor_client, name, content, message
):
    response = post_image(contributor_client, upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files() == []


def test_a_file_over_20_mb_is_refused_before_decoding(contributor_client):
    big = picture_bytes() + b"\0" * (MAX_UPLOAD_BYTES + 1)
    response = post_image(contributor_client, upload("huge.jpg", big))
    assert response.status_code == 200
    assert "the limit is 20.0 MB" in response.content.decode()
    assert not Image.objects.exists() and stored_files() == []


def test_check_upload_refuses_without_the_admin_too():
    with pytest.raises(ValidationError, match="not a picture"):
        check_upload(upload("x.gif", b"GIF89a-but-not-really"))


def test_add_image_service_stores_a_checked_copy_with_renditions():
    image = add_image(upload=upload("imported.jpg", picture_bytes(gps=True)), alt_text="Imported")
    assert image.pk and image.renditions["webp"]
    with image.file.open("rb") as stored, PILImage.open(stored) as picture:
        assert not picture.getexif().get_ifd(GPS_IFD)


# --- Replacing and deleting


def test_deleting_an_image_removes_its_files(client, django_capture_on_commit_callbacks):
    client.force_login(make_editor())
    post_image(client, upload("field.jpg", picture_bytes()))
    image = Image.objects.get()
    assert len(stored_files()) == 7  # the picture and three widths in two formats
    with django_capture_on_commit_callbacks(execute=True):  # files go once the row is gone
        client.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})
    assert not Image.objects.exists()
    assert stored_files() == []


def test_contributor_cannot_change_someone_elses_upload(client):
    client.force_login(make_editor())
    post_image(client, upload("field.jpg", picture_bytes()), alt_text="Editor's picture")
    image = Image.objects.get()
    client.force_login(make_contributor())
    response = client.post(
        f"/admin/articles/image/{image.pk}/change/",
        {"alt_text": "Defaced", "caption": "", "credit": ""},
    )
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.alt_text == "Editor's picture"


# --- Serving: srcset, sizes, width, height, lazy


def render_picture(image, *arguments: str) -> str:
    template = Template("{% load articles_tags %}{% picture image " + " ".join(arguments) + " %}")
    return template.render(Context({"image": image}))


def test_picture_serves_srcset_sizes_dimensions_and_lazy_loading(contributor_client):
    post_image(contributor_client, upload("field.jpg", picture_bytes(size=(1000, 600))))
    image = Image.objects.get()
    html = render_picture(image, '"(min-width: 960px) 700px, 100vw"')
    assert '<source type="image/webp"' in html
    webp = image.renditions["webp"]
    assert f"{webp[0]['url']} 480w, {webp[1]['url']} 800w, {webp[2]['url']} 1000w" in html
    assert 'sizes="(min-width: 960px) 700px, 100vw"' in html
    assert 'width="1000" height="600"' in html
    assert 'alt="A blue field"' in html
    assert 'loading="lazy"' in html
    eager = render_picture(image, "eager=True")
    assert 'loading="lazy"' not in eager and 'fetchpriority="high"' in eager


def test_picture_falls_back_to_the_file_without_renditions():
    from tests.factories import ImageFactory

    image = ImageFactory()
    html = render_picture(image)
    assert f'src="{image.file.url}"' in html and 'width="120" height="80"' in html


def test_library_pictures_in_a_body_get_size_srcset_and_lazy_loading(contributor_client):
    from tests.factories import ArticleFactory

    post_image(contributor_client, upload("river.jpg", picture_bytes(size=(1000, 600))))
    image = Image.objects.get()
    src = image.renditions["original"][1]["url"]
    article = ArticleFactory(
        body=f'<figure><img src="{src}" alt="Tom &amp; the river"><figcaption>x</figcaption></figure>'
        '<p><img src="https://elsewhere.example/pic.jpg" alt="Elsewhere"></p>'
    )
    article.refresh_from_db()
    webp = image.renditions["webp"]
    assert (
        f'<img src="{src}" alt="Tom &amp; the river" width="1000" height="600" loading="lazy" '
        f'srcset="{webp[0]["url"]} 480w, {webp[1]["url"]} 800w, {webp[2]["url"]} 1000w" '
        'sizes="(min-width: 960px) 700px, 100vw">'
    ) in article.body
    assert '<img src="https://elsewhere.example/pic.jpg" alt="Elsewhere">' in article.body
    article.save()  # saving again changes nothing
    assert Article.objects.get(pk=article.pk).body == article.body


def test_make_renditions_command_fills_in_images_without_them():
    from django.core.management import call_command

    from tests.factories import ImageFactory

    bare = ImageFactory()
    assert bare.renditions == {}
    output = io.StringIO()
    call_command("make_renditions", "--dry-run", stdout=output)
    assert "1 images would get renditions" in output.getvalue()
    call_command("make_renditions", stdout=output)
    bare.refresh_from_db()
    assert [r["width"] for r in bare.renditions["webp"]] == [120]
    assert "Made renditions for 1 images; 0 failed." in output.getvalue()
    call_command("make_renditions", stdout=output)  # nothing left to do
    assert "Made renditions for 0 images" in output.getvalue()
