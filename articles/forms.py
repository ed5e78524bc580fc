"""Admin forms for writing (ArticleAdminForm) and for the image library (ImageForm).

The rules a forged POST could try to dodge live here, on the server: which workflow step the user
may take, whose edits would be overwritten, which address (slug) is free."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorFormField

from articles.models import Article, Image, Page, TransitionNotAllowed, Workflow
from articles.renditions import check_upload

# The toolbar of the body editor. Whatever it sends, Article.save() runs `clean_html` over it.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # Our figure (articles.body_pictures): upload, drop, paste or pick from the library; alignment.
    "BodyPicture": {
        "uploadUrl": reverse_lazy("admin:articles_article_upload_picture"),
        "libraryUrl": reverse_lazy("admin:articles_article_library_pictures"),
    },
    "Caption": True,
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HTML": True,
    "History": True,
    "SpecialCharacters": True,
    # The library switches the browser's spellchecker off by default; writers want it on.
    "NoSpellCheck": False,
}


class ArticleAdminForm(forms.ModelForm):
    """`user` and `workflow_step` are set by ArticleAdmin.get_form for each request."""

    user = None
    workflow_step = Workflow.SAVE

    body = ProseEditorFormField(
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=False,  # articles.sanitize.clean_html runs in Article.save() for every writer
        required=False,
    )
    edited_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "dek",
            "body",
            "featured_image",
            "authors",
            "primary_category",
            "categories",
            "tags",
            "source_name",
            "source_url",
            "canonical_to_source",
            "video_url",
            "video_caption",
            "video_added_by",
            "published_at",
            "featured",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = (
                "The last part of the article's address; made from the title when left empty. "
                "Keep it once published: links use it."
            )
        if "tags" in self.fields:
            self.fields["tags"].widget.attrs.update(
                {
                    "data-suggest-url": reverse("admin:articles_article_tag_suggestions"),
                    "autocomplete": "off",
                }
            )
        if self.instance.pk:
            self.initial["edited_version"] = _version_of(self.instance)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        title = self.cleaned_data.get("title") or self.data.get(self.add_prefix("title"), "")
        if not slug:
            return _free_slug(slugify(title)[:190] or "article", exclude_pk=self.instance.pk)
        # Only that it is taken: the article holding it may be one this user cannot see.
        if Article.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                f"The address “{slug}” is already taken. "
                f"Choose another, for example “{_free_slug(slug, exclude_pk=self.instance.pk)}”.",
                code="unique",
            )
        return slug

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_not_stale()
        step = self.workflow_step if self.workflow_step in Workflow.ALL else Workflow.SAVE
        if step in Workflow.EDITOR_ONLY and not self.user.has_perm("articles.publish_article"):
            raise ValidationError(
                "Only an editor can publish, schedule or unpublish. Submit it for review instead.",
                code="forbidden",
            )
        if not self.errors:
            self._apply_step(step, cleaned)
        return cleaned

    def _check_not_stale(self) -> None:
        """Refuse to overwrite a save someone else made after this form was opened."""
        if not self.instance.pk:
            return
        current = Article.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
        current_version = current[0].isoformat() if current else ""
        if self.cleaned_data.get("edited_version") in ("", current_version):
            return
        who = last_editor_of(self.instance)
        when = format_date(timezone.localtime(current[0]), "H:i")
        # The next save overwrites deliberately: the form now carries the current version.
        self.data = self.data.copy()
        self.data[self.add_prefix("edited_version")] = current_version
        raise ValidationError(
            f"{who} saved this article at {when}, after you opened it. Your changes are not saved "
            "yet: open the article in another tab to compare, then press a save button again to "
            "replace their version with yours.",
            code="stale",
        )

    def _apply_step(self, step: str, cleaned: dict) -> None:
        article = self.instance
        chosen = cleaned.get("published_at") if "published_at" in self.fields else None
        try:
            article.take_step(step, at=chosen)
        except TransitionNotAllowed as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, ValidationError(str(error), code="transition"))
            return
        if "published_at" in self.fields:
            cleaned["published_at"] = article.published_at


def _version_of(article: Article) -> str:
    return article.updated_at.isoformat() if article.updated_at else ""


def last_editor_of(article: Article) -> str:
    """Who saved `article` last (from its revisions), for the concurrent-edit messages."""
    from reversion.models import Version

    version = Version.objects.get_for_object(article).select_related("revision__user").first()
    user = version.revision.user if version else None
    return (user.get_full_name() or user.get_username()) if user else "Someone else"


def _free_slug(base: str, *, exclude_pk: int | None) -> str:
    """`base`, or `base-2`, `base-3`… whichever no other article uses."""
    taken = set(
        Article.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


class ImageForm(forms.ModelForm):
    """Upload to the library: the file is checked and a clean copy (no EXIF) is what gets stored."""

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit"]
        # A plain FileField: check_upload gives clearer messages than ImageField's generic one.
        field_classes = {"file": forms.FileField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
        self.fields["alt_text"].required = True

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file (otherwise the one already stored)
            return check_upload(upload).content
        return upload


class PageAdminForm(forms.ModelForm):
    """Static pages get the same body editor (and the same sanitiser, in Page.save)."""

    body = ProseEditorFormField(extensions=BODY_EDITOR_EXTENSIONS, sanitize=False, required=False)

    class Meta:
        model = Page
        fields = ["title", "slug", "parent", "body", "published"]
