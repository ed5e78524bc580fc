"""The admin is the CMS. Who may do what is decided here on the server (querysets, has_*_permission)
and in articles.forms (workflow steps), never only by which buttons a page shows."""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from taggit.models import Tag

from articles import autosave, body_pictures, revisions
from articles.forms import ArticleAdminForm, ImageForm, PageAdminForm
from articles.models import (
    Article,
    ArticleViewDay,
    Author,
    Category,
    Image,
    MenuItem,
    Page,
    PopularOverride,
    Publication,
    Workflow,
    in_progress_first_ordering,
)
from articles.renditions import delete_image_files, make_renditions, rendition_names
from articles.roles import author_profile_for
from articles.site_url import absolute_url

# The editor's dashboard (in review, scheduled, recent) sits above the app list.
admin.site.index_template = "admin/newsroom_index.html"


def is_editor(user) -> bool:
    return user.has_perm("articles.edit_any_article")


class ViewOnPublicSite:
    """ "View on site" opens the object at SITE_URL (not the sites framework's domain)."""

    def view_on_site(self, obj) -> str | None:
        return absolute_url(obj.get_absolute_url())


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "tagline"]

    def has_add_permission(self, request) -> bool:
        return not Publication.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Author)
class AuthorAdmin(ViewOnPublicSite, admin.ModelAdmin):
    list_display = ["display_name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["display_name", "slug", "user__username"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]


@admin.register(Category)
class CategoryAdmin(ViewOnPublicSite, admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "order"]
    list_editable = ["order"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The image library. Uploads are checked by ImageForm; renditions are made here, at upload."""

    form = ImageForm
    list_display = ["thumbnail", "alt_text", "dimensions", "credit", "uploaded_by", "created_at"]
    list_display_links = ["thumbnail", "alt_text"]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["preview", "dimensions", "address_for_bodies", "uploaded_by", "created_at"]

    def get_fields(self, request, obj=None):
        fields = ["file", "alt_text", "caption", "credit"]
        return [*fields, *self.readonly_fields] if obj else fields

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or is_editor(request.user):
            return allowed
        return obj.uploaded_by_id == request.user.pk  # contributors fix their own uploads only

    @admin.display(description="Picture")
    def thumbnail(self, image: Image) -> str:
        small = (image.renditions or {}).get("webp") or []
        src = small[0]["url"] if small else image.file.url
        return format_html(
            '<img class="admin-thumbnail" src="{}" alt="" width="96" height="{}" loading="lazy">',
            src,
            round(96 * image.height / image.width) if image.width else 64,
        )

    @admin.display(description="Preview")
    def preview(self, image: Image) -> str:
        return self.thumbnail(image)

    @admin.display(description="Size")
    def dimensions(self, image: Image) -> str:
        return f"{image.width} × {image.height}"

    @admin.display(description="Address to use in an article body")
    def address_for_bodies(self, image: Image) -> str:
        original = (image.renditions or {}).get("original") or []
        url = original[-1]["url"] if original else image.file.url
        return format_html("<code>{}</code>", url)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.uploaded_by = request.user
        file_changed = "file" in form.changed_data
        previous = Image.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if not file_changed:
            return
        try:
            make_renditions(obj)
        except Exception:
            obj.file.delete(save=False)
            raise
        if previous and previous.file and previous.file.name != obj.file.name:
            previous.file.delete(save=False)

    def delete_model(self, request, obj) -> None:
        names = [obj.file.name, *rendition_names(obj)]
        super().delete_model(request, obj)
        transaction.on_commit(lambda: _delete_names(names))

    def delete_queryset(self, request, queryset) -> None:
        images = list(queryset)
        super().delete_queryset(request, queryset)
        transaction.on_commit(lambda: [delete_image_files(image) for image in images])


def _delete_names(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


# --- Articles


def workflow_buttons(user, article: Article | None) -> list[tuple[str, str]]:
    """The (step, label) buttons of the change form, for this user and the article's status."""
    can_publish = user.has_perm("articles.publish_article")
    status = article.status if article and article.pk else Article.Status.DRAFT
    publishing = [(Workflow.PUBLISH, "Publish now"), (Workflow.SCHEDULE, "Schedule")]
    if status == Article.Status.DRAFT:
        return [(Workflow.DRAFT, "Save draft")] + (
            publishing if can_publish else [(Workflow.REVIEW, "Submit for review")]
        )
    if status == Article.Status.REVIEW:
        return [
            (Workflow.SAVE, "Save"),
            *(publishing if can_publish else []),
            (Workflow.DRAFT, "Back to draft"),
        ]
    if not can_publish:
        return []
    if status == Article.Status.SCHEDULED:
        return [
            (Workflow.SAVE, "Update"),
            (Workflow.PUBLISH, "Publish now"),
            (Workflow.SCHEDULE, "Reschedule"),
            (Workflow.UNPUBLISH, "Unpublish"),
        ]
    return [(Workflow.SAVE, "Update"), (Workflow.UNPUBLISH, "Unpublish")]


STEP_MESSAGES = {
    Workflow.SAVE: "Saved “{title}”.",
    Workflow.DRAFT: "Saved “{title}” as a draft.",
    Workflow.REVIEW: "Submitted “{title}” for review. The editor will see it on the dashboard.",
    Workflow.PUBLISH: "Published “{title}”.",
    Workflow.SCHEDULE: "Scheduled “{title}” for {when}.",
    Workflow.UNPUBLISH: "Unpublished “{title}”: it is a draft again and no longer on the site.",
}
REVISION_COMMENTS = {
    Workflow.SAVE: "Saved",
    Workflow.DRAFT: "Saved as draft",
    Workflow.REVIEW: "Submitted for review",
    Workflow.PUBLISH: "Published",
    Workflow.SCHEDULE: "Scheduled",
    Workflow.UNPUBLISH: "Unpublished",
}
TAG_SUGGESTIONS = 10
STAY_ON_FORM = {Workflow.SAVE, Workflow.DRAFT}


@admin.register(Article)
class ArticleAdmin(ViewOnPublicSite, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "status_label",
        "byline",
        "primary_category",
        "published_at",
        "updated_at",
        "featured",
    ]
    list_filter = ["status", "primary_category", "authors", "published_at", "featured"]
    list_select_related = ["primary_category"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors", "primary_category", "categories", "featured_image"]
    readonly_fields = ["status", "reading_stats", "created_by"]
    actions = ["publish_selected", "unpublish_selected"]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = [
            "js/admin-prose-csp.js",
            "js/admin-tag-suggestions.js",
            "js/admin-word-count.js",
            "js/admin-autosave.js",
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_in_admin_to(request.user)
            .select_related("primary_category")
            .prefetch_related("authors")
        )

    def get_ordering(self, request):
        # A contributor's list starts with the work still in their hands (the queryset's order).
        if is_editor(request.user):
            return super().get_ordering(request)
        return in_progress_first_ordering()

    def view_on_site(self, obj: Article) -> str | None:
        return super().view_on_site(obj) if obj.is_live else None  # drafts have Preview

    def _refuse_other_writers_article(self, request, object_id) -> None:
        """An article that exists but is not this user's: say so (the admin would say it does
        not exist, "perhaps it was deleted")."""
        if object_id is None or not str(object_id).isdigit():
            return
        exists = Article.objects.filter(pk=object_id).exists()
        if exists and not self.get_queryset(request).filter(pk=object_id).exists():
            raise PermissionDenied(
                "This article is another writer's: you can open only the articles you write "
                "or are a byline of. Your own articles are in the list of articles."
            )

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.is_editable_by(request.user))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.is_editable_by(request.user))

    def get_fieldsets(self, request, obj=None):
        editor = is_editor(request.user)
        publishing = ["status", "published_at", "featured"] if editor else ["status"]
        fieldsets = [
            (None, {"fields": ["title", "slug", "dek", "body", "reading_stats"]}),
            (
                "Filing",
                {
                    "fields": [
                        "primary_category",
                        "categories",
                        "tags",
                        *(["authors"] if editor else []),
                    ]
                },
            ),
            ("Publishing", {"fields": [*publishing, "created_by"]}),
            (
                "Picture and video",
                {"fields": ["featured_image", "video_url", "video_caption", "video_added_by"]},
            ),
            (
                "Source",
                {
                    "fields": ["source_name", "source_url", "canonical_to_source"],
                    "classes": ["collapse"],
                },
            ),
        ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        step = request.POST.get("_workflow", Workflow.SAVE) if request.method == "POST" else None
        return type(form.__name__, (form,), {"user": request.user, "workflow_step": step})

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if not request.user.has_perm("articles.publish_article"):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    @admin.display(description="Status", ordering="status")
    def status_label(self, article: Article) -> str:
        if article.status == Article.Status.SCHEDULED and article.published_at:
            if article.published_at > timezone.now():
                return f"Scheduled for {format_date(timezone.localtime(article.published_at), 'M j, H:i')}"
            return "Published (scheduled)"
        return article.get_status_display()

    @admin.display(description="Authors")
    def byline(self, article: Article) -> str:
        return ", ".join(author.display_name for author in article.authors.all())

    @admin.display(description="Length")
    def reading_stats(self, article: Article) -> str:
        if not article.pk:
            return "Shown after the first save."
        return f"{article.word_count:,} words · {article.reading_minutes} min read"

    # --- Saving: who wrote it, the revision, the workflow step's message.

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        autosave.forget(
            request.user, obj, was_new=not change, page=request.POST.get("_autosave_page", "")
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not article.authors.exists() and hasattr(request.user, "pk"):
            article.authors.set([author_profile_for(request.user)])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._refuse_other_writers_article(request, object_id)
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            step = request.POST.get("_workflow", Workflow.SAVE)
            reversion.set_comment(REVISION_COMMENTS.get(step, "Saved"))
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        can_edit = add or self.has_change_permission(request, obj)
        context.update(
            workflow_buttons=workflow_buttons(request.user, obj) if can_edit else [],
            preview_url=reverse("articles:preview", args=[obj.pk]) if obj else "",
            revisions_url=(
                reverse("admin:articles_article_revisions", args=[obj.pk])
                if obj and is_editor(request.user)
                else ""
            ),
        )
        if can_edit:
            context.update(self._autosave_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _autosave_context(self, request, obj: Article | None) -> dict:
        offer = autosave.offer_for(request.user, obj)
        args = [obj.pk] if obj else []
        suffix = "" if obj else "_new"
        return {
            "autosave_url": reverse(f"admin:articles_article_autosave{suffix}", args=args),
            "autosave_discard_url": reverse(
                f"admin:articles_article_autosave_discard{suffix}", args=args
            ),
            "autosave_seconds": settings.ARTICLE_AUTOSAVE_SECONDS,
            "autosave_offer": offer,
            "autosave_offer_data": offer
            and {"title": offer.title, "dek": offer.dek, "body": offer.body},
        }

    def autosave_view(self, request, object_id=None):
        return autosave.autosave_view(self, request, object_id)

    def discard_autosave_view(self, request, object_id=None):
        return autosave.discard_view(self, request, object_id)

    def response_add(self, request, obj, post_url_continue=None):
        return self._respond_to_step(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._respond_to_step(request, obj) or super().response_change(request, obj)

    def _respond_to_step(self, request, obj: Article):
        step = request.POST.get("_workflow")
        if step not in Workflow.ALL:
            return None
        when = obj.published_at and format_date(timezone.localtime(obj.published_at), "M j, Y, H:i")
        self.message_user(
            request, STEP_MESSAGES[step].format(title=obj.title, when=when), messages.SUCCESS
        )
        if step in STAY_ON_FORM:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def delete_view(self, request, object_id, extra_context=None):
        self._refuse_other_writers_article(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_other_writers_article(request, object_id)
        return super().history_view(request, object_id, extra_context)

    # --- Bulk actions (editor only; see get_actions)

    @admin.action(description="Publish selected articles now")
    def publish_selected(self, request, queryset) -> None:
        self._bulk(
            request, queryset.exclude(status=Article.Status.PUBLISHED), "publish", "Published"
        )

    @admin.action(description="Unpublish selected articles")
    def unpublish_selected(self, request, queryset) -> None:
        live = queryset.filter(status__in=Article.LIVE_STATUSES)
        self._bulk(request, live, "unpublish", "Unpublished")

    def _bulk(self, request, queryset, method: str, verb: str) -> None:
        if not request.user.has_perm("articles.publish_article"):
            raise PermissionDenied
        count = 0
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(f"{verb} from the article list")
            for article in queryset:
                getattr(article, method)()
                article.save()
                count += 1
        self.message_user(request, f"{verb} {count} article{'s' if count != 1 else ''}.")

    # --- Revisions: list, compare, restore (editor only)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "library-pictures/",
                view(self.library_pictures_view),
                name="articles_article_library_pictures",
            ),
            path(
                "upload-picture/",
                view(self.upload_picture_view),
                name="articles_article_upload_picture",
            ),
            path(
                "tag-suggestions/",
                view(self.tag_suggestions_view),
                name="articles_article_tag_suggestions",
            ),
            path("autosave/", view(self.autosave_view), name="articles_article_autosave_new"),
            path(
                "autosave/discard/",
                view(self.discard_autosave_view),
                name="articles_article_autosave_discard_new",
            ),
            path(
                "<int:object_id>/autosave/",
                view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<int:object_id>/autosave/discard/",
                view(self.discard_autosave_view),
                name="articles_article_autosave_discard",
            ),
            path(
                "<int:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:object_id>/revisions/<int:version_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions_view(self, request):
        """Completions for the tags box: the typed list with its last tag completed (see
        static/js/admin-tag-suggestions.js, which offers them in a <datalist>)."""
        if not self.has_view_permission(request) and not self.has_add_permission(request):
            raise PermissionDenied
        *done, last = request.GET.get("q", "").split(",")
        done = [name.strip() for name in done if name.strip()]
        term = last.strip()
        if not term:
            return JsonResponse({"suggestions": []})
        names = (
            Tag.objects.filter(name__istartswith=term)
            .exclude(name__in=done)
            .order_by("name")
            .values_list("name", flat=True)[:TAG_SUGGESTIONS]
        )
        prefix = ", ".join(done)
        return JsonResponse(
            {"suggestions": [f"{prefix}, {name}" if prefix else name for name in names]}
        )

    def library_pictures_view(self, request):
        return body_pictures.library_view(self, request)

    def upload_picture_view(self, request):
        return body_pictures.upload_view(self, request)

    def _article_for_revisions(self, request, object_id) -> Article:
        if not is_editor(request.user):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def revisions_view(self, request, object_id: int):
        article = self._article_for_revisions(request, object_id)
        versions = list(revisions.versions_of(article))
        by_id = {version.pk: version for version in versions}
        comparison = None
        old_id, new_id = request.GET.get("old", ""), request.GET.get("new", "")
        if old_id.isdigit() and new_id.isdigit():
            old, new = by_id.get(int(old_id)), by_id.get(int(new_id))
            if old and new:
                if old.revision.date_created > new.revision.date_created:
                    old, new = new, old
                comparison = {"old": old, "new": new, "rows": revisions.compare(old, new)}
            else:
                messages.error(request, "Choose two revisions of this article to compare.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revisions of “{article.title}”",
            "article": article,
            "versions": versions,
            "comparison": comparison,
            "selected_old": old_id or (versions[1].pk if len(versions) > 1 else ""),
            "selected_new": new_id or (versions[0].pk if versions else ""),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id: int, version_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_for_revisions(request, object_id)
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        revisions.restore(article, version, user=request.user)
        when = format_date(timezone.localtime(version.revision.date_created), "M j, Y, H:i")
        self.message_user(request, f"Restored the version of {when}. The one before is kept too.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


@admin.register(Page)
class PageAdmin(ViewOnPublicSite, admin.ModelAdmin):
    form = PageAdminForm

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-prose-csp.js"]

    list_display = ["title", "path", "published", "updated_at"]
    list_filter = ["published"]
    list_select_related = ["parent"]
    search_fields = ["title", "path", "body"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["title"]}

    def view_on_site(self, obj: Page) -> str | None:
        return super().view_on_site(obj) if obj.published else None


@admin.register(MenuItem)
class MenuItemAdmin(admin.ModelAdmin):
    list_display = ["label", "order", "category", "page", "url"]
    list_editable = ["order"]
    list_select_related = ["category", "page"]
    autocomplete_fields = ["category", "page"]


@admin.register(PopularOverride)
class PopularOverrideAdmin(admin.ModelAdmin):
    """The editor's hand on the sidebar's "Popular" box (articles.popular)."""

    list_display = ["article", "action", "position", "until", "created_at"]
    list_editable = ["action", "position", "until"]
    list_filter = ["action"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "created_at"


@admin.register(ArticleViewDay)
class ArticleViewDayAdmin(admin.ModelAdmin):
    """Daily read counts, written by the view-count flush; read-only here."""

    list_display = ["article", "date", "views"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    date_hierarchy = "date"
    ordering = ["-date", "-views"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
