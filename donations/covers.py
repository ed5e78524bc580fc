"""Book covers for the sidebar: checked like every upload, then made small once (they show ~90px wide)."""

import io

from django.core.files.base import ContentFile
from PIL import Image as PILImage

from articles.renditions import check_upload

COVER_MAX_WIDTH = 360  # 4× the sidebar's display width: sharp on any screen, a few dozen kB


def prepare_cover(upload) -> ContentFile:
    """Validate an uploaded cover (raises ValidationError with a message) and return a small copy."""
    checked = check_upload(upload)
    if checked.format == "GIF" or checked.width <= COVER_MAX_WIDTH:
        return checked.content
    picture = PILImage.open(io.BytesIO(checked.content.read()))
    height = round(checked.height * COVER_MAX_WIDTH / checked.width)
    small = picture.resize((COVER_MAX_WIDTH, height), PILImage.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if checked.format == "JPEG":
        small.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    else:
        small.save(buffer, checked.format)
    return ContentFile(buffer.getvalue(), name=checked.content.name)
