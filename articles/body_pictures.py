"""Pictures placed in bodies from inside the editor (static/js/admin-body-pictures.js): uploads go
through the image library's own form and save (ImageAdmin: the same checks and renditions), the
library is searched by alt text, caption and credit, and the figure's alignment is one of our
classes, which the sanitiser keeps (articles.sanitize) and site.css / admin.css lay out."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse

from articles.models import Image
from articles.sanitize import FIGURE_ALIGNMENTS

BODY_PICTURE_WIDTH = 1200  # a 700px column on a 2x screen wants ~1400; the srcset covers the rest
THUMBNAIL_WIDTH = 480
LIBRARY_PICTURES = 60


def sanitizer_rules(extension_config, shared_config) -> None:
    """django-prose-editor's allow-list hook for the extension (our bodies are cleaned by
    articles.sanitize.clean_html instead; this keeps the editor's own sanitiser in agreement)."""
    shared_config["tags"].update({"figure", "figcaption", "img"})
    attributes = shared_config["attributes"]
    attributes.setdefault("img", set()).update({"src", "alt", "width", "height"})
    classes = shared_config.setdefault("allowed_classes", {})
    classes.setdefault("figure", set()).update(FIGURE_ALIGNMENTS.values())


def _largest_within(renditions: list[dict], width: int) -> dict | None:
    fitting = [r for r in renditions if r["width"] <= width]
    return (fitting or renditions)[-1] if renditions else None


def picture_for_body(image: Image) -> dict:
    """What the editor needs to place `image`: a body-sized address, a thumbnail, its words."""
    renditions = image.renditions or {}
    body = _largest_within(renditions.get("original") or [], BODY_PICTURE_WIDTH)
    thumbnail = _largest_within(renditions.get("webp") or [], THUMBNAIL_WIDTH)
    return {
        "id": image.pk,
        "url": body["url"] if body else image.file.url,
        "thumbnail": thumbnail["url"] if thumbnail else image.file.url,
        "width": image.width,
        "height": image.height,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }


def _image_admin(model_admin) -> admin.ModelAdmin:
    return model_admin.admin_site.get_model_admin(Image)


def library_view(model_admin, request: HttpRequest) -> JsonResponse:
    """The library's pictures, newest first, narrowed by `?q=` (alt text, caption, credit)."""
    if not _image_admin(model_admin).has_view_permission(request):
        raise PermissionDenied("You may not use the picture library.")
    images = Image.objects.order_by("-created_at")
    query = request.GET.get("q", "").strip()[:200]
    for word in query.split():
        images = images.filter(
            Q(alt_text__icontains=word) | Q(caption__icontains=word) | Q(credit__icontains=word)
        )
    return JsonResponse(
        {"query": query, "pictures": [picture_for_body(i) for i in images[:LIBRARY_PICTURES]]}
    )


def upload_view(model_admin, request: HttpRequest) -> JsonResponse:
    """A picture uploaded from the body editor becomes a library picture, exactly as the library's
    add form makes one (ImageAdmin's form and save_model), and its body-sized address comes back."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    image_admin = _image_admin(model_admin)
    if not image_admin.has_add_permission(request):
        raise PermissionDenied("You may not add pictures to the library.")
    form = image_admin.get_form(request)(request.POST, request.FILES)
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        message = " ".join(m for messages in errors.values() for m in messages)
        return JsonResponse({"errors": errors, "message": message}, status=400)
    image = form.save(commit=False)
    image_admin.save_model(request, image, form, change=False)
    return JsonResponse({"picture": picture_for_body(image)}, status=201)
