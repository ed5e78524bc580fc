"""What an upload carries that must not be published: where it was taken, and anything appended
after the picture; and what must stay: the photographer's credit and which way is up. Large
camera files are decoded at a reduced size, so a worker's memory stays bounded."""

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.renditions import MAX_STORED_SIDE, add_image, check_upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ARTIST, COPYRIGHT, ORIENTATION, MAKE = 0x013B, 0x8298, 0x0112, 0x010F
ROOT = Path(__file__).resolve().parents[2]


def camera_jpeg(size=(1200, 800), orientation: int = 1) -> bytes:
    picture = PILImage.new("RGB", size, (200, 30, 30))
    picture.paste((30, 30, 200), (0, 0, size[0] // 4, size[1]))  # a blue band on the left
    exif = PILImage.Exif()
    exif[ARTIST] = "Leila Haddad"
    exif[COPYRIGHT] = "(c) 2026 Leila Haddad"
    exif[MAKE] = "Camera maker"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (31.0, 30.0, 5.0), 3: "E", 4: (34.0, 27.0, 50.0)})
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"shot at the checkpoint")
    return buffer.getvalue()


def stored(image) -> PILImage.Image:
    return PILImage.open(Path(settings.MEDIA_ROOT) / image.file.name)


def test_location_goes_but_the_credit_stays_in_every_stored_picture():
    image = add_image(
        upload=SimpleUploadedFile("scene.jpg", camera_jpeg(), "image/jpeg"), alt_text="A scene"
    )
    with stored(image) as picture:
        exif = picture.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert exif.get(ARTIST) == "Leila Haddad"
        assert exif.get(COPYRIGHT) == "(c) 2026 Leila Haddad"
        assert MAKE not in exif
        assert "comment" not in picture.info
    for entry in image.renditions["original"] + image.renditions["webp"]:
        with PILImage.open(Path(settings.MEDIA_ROOT) / entry["name"]) as rendition:
            assert not rendition.getexif().get_ifd(GPS_IFD)


def test_a_sideways_camera_picture_is_stored_upright():
    # Orientation 6: the camera held sideways; viewers rotate it 90° clockwise.
    checked = check_upload(
        SimpleUploadedFile("portrait.jpg", camera_jpeg(orientation=6), "image/jpeg")
    )
    assert (checked.width, checked.height) == (800, 1200)
    with PILImage.open(io.BytesIO(checked.content.read())) as picture:
        assert picture.getexif().get(ORIENTATION, 1) == 1  # nothing left to rotate
        top = picture.getpixel((picture.width // 2, 10))
        assert top[2] > 150 and top[0] < 100  # the blue band is on top now


def test_bytes_after_the_picture_are_not_stored():
    gif = io.BytesIO()
    PILImage.new("P", (40, 40), 1).save(gif, "GIF", comment=b"<script>alert(1)</script>")
    polyglot = gif.getvalue() + b"<html><script>alert(document.cookie)</script></html>"
    checked = check_upload(SimpleUploadedFile("pixel.gif", polyglot, "image/gif"))
    content = checked.content.read()
    assert b"<script" not in content and b"<html" not in content
    with PILImage.open(io.BytesIO(content)) as picture:
        assert picture.format == "GIF" and picture.size == (40, 40)


def test_an_animated_gif_stays_animated():
    frames = [PILImage.new("RGB", (30, 30), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    checked = check_upload(SimpleUploadedFile("spin.gif", buffer.getvalue() + b"junk", "image/gif"))
    with PILImage.open(io.BytesIO(checked.content.read())) as picture:
        assert picture.n_frames == 3


def test_a_huge_camera_file_is_stored_at_a_sensible_size():
    checked = check_upload(
        SimpleUploadedFile("huge.jpg", camera_jpeg(size=(6000, 4000)), "image/jpeg")
    )
    assert (checked.width, checked.height) == (
        MAX_STORED_SIDE,
        round(4000 * MAX_STORED_SIDE / 6000),
    )


MEASURE = textwrap.dedent(
    """
    import io, json, os, resource, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from articles.renditions import check_upload
    data = open(sys.argv[1], "rb").read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    checked = check_upload(SimpleUploadedFile("camera.jpg", data, "image/jpeg"))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"grew_mb": (after - before) / 1024, "size": [checked.width, checked.height]}))
    """
)


def test_a_60_megapixel_upload_is_checked_within_bounded_memory(tmp_path):
    """Measured in a fresh process (peak RSS): decoding all 59 megapixels and re-encoding them
    grew it by ~400 MB; decoded at half scale and shrunk to the stored size, by ~105 MB."""
    camera = tmp_path / "camera.jpg"
    make = (
        "from PIL import Image; import sys; "
        "Image.new('RGB', (9400, 6300), (90, 120, 150)).save(sys.argv[1], quality=90)"
    )
    subprocess.run([sys.executable, "-c", make, str(camera)], check=True)
    env = {"DEBUG": "0", "TESTING": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(camera)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["size"] == [MAX_STORED_SIDE, round(6300 * MAX_STORED_SIDE / 9400)]
    assert measured["grew_mb"] < 160, measured
