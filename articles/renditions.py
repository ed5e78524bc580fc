"""Checking uploaded pictures and making their renditions, with Pillow alone.

Why Pillow directly rather than easy-thumbnails, sorl-thumbnail or django-imagekit: those make
thumbnails lazily (on the first request that asks for a size, i.e. while a reader waits) or need a
cache backend of their own, and none of them checks uploads the way we need (decompression bombs,
extensions that lie, EXIF location). The work here is small and fixed: a handful of widths in WebP
and the original format, made once at upload and listed in `Image.renditions`, so templates only
read JSON and never touch Pillow.

`Image.renditions` holds::

    {"original_type": "image/jpeg",
     "original": [{"width": 480, "height": 320, "name": "renditions/…-480w.jpg", "url": "/media/…"}, …],
     "webp": [{…}, …]}

both lists ordered by width, the last being the full-size picture.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from articles.models import Image

ORIENTATION_TAG = 0x0112
# EXIF orientation → the turn that makes the pixels upright (as ImageOps.exif_transpose does).
_TURNS = {
    2: PILImage.Transpose.FLIP_LEFT_RIGHT,
    3: PILImage.Transpose.ROTATE_180,
    4: PILImage.Transpose.FLIP_TOP_BOTTOM,
    5: PILImage.Transpose.TRANSPOSE,
    6: PILImage.Transpose.ROTATE_270,
    7: PILImage.Transpose.TRANSVERSE,
    8: PILImage.Transpose.ROTATE_90,
}
# EXIF tags a stored picture keeps: the photographer's credit. Everything else goes, above all the
# GPS block and anything else that says where or with what (serial numbers) it was taken.
KEPT_EXIF_TAGS = {0x013B: "Artist", 0x8298: "Copyright"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Anything bigger is a decompression bomb for our purposes (a 60-megapixel camera fits).
MAX_PIXELS = 60_000_000
# Formats Pillow cannot decode at a reduced size (PNG, WebP, GIF) hold every pixel in memory while
# checked: a lower bound for them keeps a worker's peak memory bounded.
MAX_PIXELS_FULL_DECODE = 30_000_000
# The stored original is at most this many pixels on its long side (WordPress's own threshold for
# "big" uploads): plenty for any screen, and renditions are made from it, not from a camera file.
MAX_STORED_SIDE = 2560
RENDITION_WIDTHS = (480, 800, 1200, 1600)
JPEG_QUALITY = 82
WEBP_QUALITY = 80

# Pillow format -> (accepted file extensions, MIME type, extension we write).
ACCEPTED_FORMATS = {
    "JPEG": ({".jpg", ".jpeg", ".jpe"}, "image/jpeg", ".jpg"),
    "PNG": ({".png"}, "image/png", ".png"),
    "WEBP": ({".webp"}, "image/webp", ".webp"),
    "GIF": ({".gif"}, "image/gif", ".gif"),
}
ACCEPTED_NAMES = "JPEG, PNG, WebP or GIF"


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed every check, re-encoded without EXIF (no GPS, no camera serials)."""

    content: ContentFile
    format: str
    width: int
    height: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_upload(upload) -> CheckedImage:
    """Validate an uploaded file as a picture and return a clean copy to store.

    Raises ValidationError with a message a writer can act on; nothing is written to storage."""
    name = PurePath(upload.name or "upload").name
    extension = PurePath(name).suffix.lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"“{name}” is {_megabytes(upload.size)}; the limit is {_megabytes(MAX_UPLOAD_BYTES)}. "
            "Export it smaller (2000 pixels wide is plenty) and upload it again.",
            code="too_big",
        )
    upload.seek(0)
    data = upload.read()
    head = data[:512].lstrip().lower()
    if extension == ".svg" or head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise ValidationError(
            "SVG files are not accepted: they can carry scripts. "
            f"Export the picture as PNG and upload that ({ACCEPTED_NAMES} are accepted).",
            code="svg",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(io.BytesIO(data))
            pixels = picture.width * picture.height
            if pixels > MAX_PIXELS or (
                picture.format != "JPEG" and pixels > MAX_PIXELS_FULL_DECODE
            ):
                raise PILImage.DecompressionBombError(pixels)
            if picture.format == "JPEG":
                # Decode at the smallest DCT scale (1/2, 1/4, 1/8) still at least the stored
                # size: a 60-megapixel photo is held at a quarter of its pixels or less.
                picture.draft(picture.mode, _stored_size(picture.size))
            picture.load()  # decodes every pixel: truncated and corrupt files fail here
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        limit = MAX_PIXELS if extension in {".jpg", ".jpeg", ".jpe"} else MAX_PIXELS_FULL_DECODE
        raise ValidationError(
            f"“{name}” claims to be larger than {limit // 1_000_000} megapixels, so it was "
            "refused (files like that are used to exhaust servers). Resize it and try again.",
            code="bomb",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            f"“{name}” is not a picture we can read. Upload a {ACCEPTED_NAMES} file.",
            code="not_image",
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            f"“{name}” is damaged or incomplete (the upload may have been cut off). "
            "Open it on your computer, save it again and re-upload.",
            code="corrupt",
        ) from None
    if picture.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"“{name}” is a {picture.format} image; upload a {ACCEPTED_NAMES} file.",
            code="format",
        )
    extensions, _mime, canonical_extension = ACCEPTED_FORMATS[picture.format]
    if extension not in extensions:
        raise ValidationError(
            f"“{name}” is really a {picture.format} image, but its name ends in "
            f"“{extension or 'nothing'}”. Rename it to end in “{canonical_extension}” and upload again.",
            code="extension",
        )
    content, width, height = _without_metadata(picture)
    return CheckedImage(
        content=ContentFile(content, name=name), format=picture.format, width=width, height=height
    )


def _stored_size(size: tuple[int, int]) -> tuple[int, int]:
    """`size` fitted within MAX_STORED_SIDE on its long side (never enlarged)."""
    width, height = size
    scale = min(1.0, MAX_STORED_SIDE / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _kept_exif(picture: PILImage.Image) -> bytes:
    """The credit tags of the original, in a fresh EXIF block (no GPS, no other IFDs)."""
    original = picture.getexif()
    kept = PILImage.Exif()
    for tag in KEPT_EXIF_TAGS:
        if isinstance(original.get(tag), str) and original[tag].strip():
            kept[tag] = original[tag][:500]
    return kept.tobytes() if len(kept) else b""


def _without_metadata(picture: PILImage.Image) -> tuple[bytes, int, int]:
    """The picture re-encoded: upright (its EXIF orientation applied to the pixels), at most
    MAX_STORED_SIDE on its long side, with only the photographer's credit kept from its EXIF, and
    nothing else from the file: comments, text chunks and bytes after the image data (a GIF/HTML
    polyglot) do not survive, because only decoded pixels are written back."""
    exif = _kept_exif(picture)
    options: dict = {"comment": b""}
    if picture.info.get("icc_profile"):
        options["icc_profile"] = picture.info["icc_profile"]
    if picture.format == "GIF":
        return _gif_without_extras(picture)
    # Shrink first, then turn: each step works on the smallest picture it can.
    upright = picture
    if max(picture.size) > MAX_STORED_SIDE:
        upright = picture.resize(
            _stored_size(picture.size), PILImage.Resampling.LANCZOS, reducing_gap=3.0
        )
    turn = _TURNS.get(picture.getexif().get(ORIENTATION_TAG, 1))
    if turn is not None:
        upright = upright.transpose(turn)
    buffer = io.BytesIO()
    if exif and picture.format in {"JPEG", "WEBP", "PNG"}:
        options["exif"] = exif
    if picture.format == "JPEG":
        upright.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
    elif picture.format == "WEBP":
        del options["comment"]
        upright.save(buffer, "WEBP", quality=90, **options)
    else:
        del options["comment"]
        upright.save(buffer, picture.format, optimize=True, **options)
    return buffer.getvalue(), upright.width, upright.height


def _gif_without_extras(picture: PILImage.Image) -> tuple[bytes, int, int]:
    """Every frame of a GIF (animations stay), re-encoded without comments or trailing bytes."""
    picture.info.pop("comment", None)
    options: dict = {"save_all": getattr(picture, "n_frames", 1) > 1}
    for key in ("loop", "duration", "transparency", "disposal"):
        if key in picture.info:
            options[key] = picture.info[key]
    buffer = io.BytesIO()
    picture.save(buffer, "GIF", **options)
    return buffer.getvalue(), picture.width, picture.height


def rendition_widths(width: int) -> list[int]:
    """The widths to make for a picture `width` pixels wide: the standard ones below it, and itself."""
    if width <= 0:
        return []
    widths = [w for w in RENDITION_WIDTHS if w < width]
    largest = min(width, max(RENDITION_WIDTHS))
    return widths if largest in widths else [*widths, largest]


def make_renditions(image: Image) -> dict:
    """Write the WebP and original-format copies of `image` and record them on it (saved).

    Files already written are removed again if anything fails, so nothing is left behind."""
    written: list[str] = []
    try:
        with image.file.open("rb") as source, PILImage.open(source) as picture:
            picture.load()
            original_format = picture.format if picture.format in ACCEPTED_FORMATS else "JPEG"
            _, mime, extension = ACCEPTED_FORMATS[original_format]
            upright = ImageOps.exif_transpose(picture)
            stem = PurePath(image.file.name).stem
            folder = PurePath(image.file.name).parent.as_posix().replace("images", "renditions", 1)
            renditions: dict = {"original_type": mime, "original": [], "webp": []}
            for width in rendition_widths(upright.width):
                height = max(1, round(upright.height * width / upright.width))
                resized = upright.resize((width, height), PILImage.Resampling.LANCZOS)
                for key, fmt, ext in (
                    ("original", original_format, extension),
                    ("webp", "WEBP", ".webp"),
                ):
                    name = default_storage.save(
                        f"{folder}/{stem}-{width}w{ext}", ContentFile(_encode(resized, fmt))
                    )
                    written.append(name)
                    renditions[key].append(
                        {
                            "width": width,
                            "height": height,
                            "name": name,
                            "url": default_storage.url(name),
                        }
                    )
        old_names = rendition_names(image)
        image.renditions = renditions
        image.save(update_fields=["renditions"])
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    for name in old_names - set(written):
        default_storage.delete(name)
    return renditions


def _encode(picture: PILImage.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        picture.convert("RGB").save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
    elif fmt == "WEBP":
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    elif fmt == "GIF":
        picture.save(buffer, "GIF", optimize=True)
    else:
        picture.save(buffer, fmt, optimize=True)
    return buffer.getvalue()


def rendition_names(image: Image) -> set[str]:
    return image.rendition_names


def delete_image_files(image: Image) -> None:
    """Remove the picture's file and every rendition from storage (used when it is deleted)."""
    for name in rendition_names(image):
        default_storage.delete(name)
    if image.file:
        image.file.delete(save=False)


def add_image(
    *,
    upload,
    alt_text: str,
    caption: str = "",
    credit: str = "",
    uploaded_by=None,
) -> Image:
    """Check `upload`, store a clean copy and its renditions, and return the new library Image.

    Raises ValidationError (nothing stored) when the file is refused. For importers and scripts;
    the admin does the same through `ImageForm` and `ImageAdmin.save_model`."""
    checked = check_upload(upload)
    image = Image(alt_text=alt_text, caption=caption, credit=credit, uploaded_by=uploaded_by)
    image.file.save(checked.content.name, checked.content, save=False)
    try:
        with transaction.atomic():
            image.save()
            make_renditions(image)
    except Exception:
        delete_image_files(image)
        raise
    return image
