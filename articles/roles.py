"""The two newsroom roles, as Django groups, and what each may do.

- **Contributor** writes: adds articles, changes and deletes only their own while they are drafts or
  in review (the admin narrows the rows, see `ArticleQuerySet.editable_by`), uploads images and
  previews their own drafts. No publish permission, so the server refuses a forged publish.
- **Editor** runs the site: every article of any author (`edit_any_article`), publishing and
  scheduling (`publish_article`), categories, tags, menu, pages, redirects, images — and, through
  the other apps' migrations, subscribers and donations.

Other apps give the Editor group rights on their own models from a data migration:

    from articles.roles import CRUD, EDITOR, grant_group_permissions

    def grant(apps, schema_editor):
        grant_group_permissions(apps, EDITOR, "newsletter", {"subscriber": CRUD, "issue": CRUD})

    class Migration(migrations.Migration):
        dependencies = [("newsletter", "0002_..."), ("articles", "0004_editor_and_contributor_groups")]
        operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
"""

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.utils.text import slugify

from articles.models import Author

EDITOR = "Editor"
CONTRIBUTOR = "Contributor"
CRUD = ("add", "change", "delete", "view")

# app label -> model -> actions (or custom codenames, given whole).
CONTRIBUTOR_PERMISSIONS: dict[str, dict[str, Iterable[str]]] = {
    "articles": {
        "article": CRUD,
        "image": ("add", "change", "view"),
        # Viewing is what the admin's autocomplete needs to offer categories and bylines.
        "category": ("view",),
        "author": ("view",),
    },
    "taggit": {"tag": ("view",)},
}
EDITOR_PERMISSIONS: dict[str, dict[str, Iterable[str]]] = {
    "articles": {
        "article": (*CRUD, "publish_article", "edit_any_article"),
        "image": CRUD,
        "category": CRUD,
        "author": CRUD,
        "page": CRUD,
        "menuitem": CRUD,
        "publication": ("change", "view"),
        # The sidebar's "Popular" box is editorial too.
        "popularoverride": CRUD,
        "articleviewday": ("view",),
    },
    # The WordPress import's old addresses (the model moved there from articles, see
    # wordpress/migrations/0001_initial.py, taking the permissions articles 0009 granted).
    "wordpress": {"legacyredirect": CRUD},
    "taggit": {"tag": CRUD},
    "redirects": {"redirect": CRUD},
    # Viewing accounts is what the author form's login autocomplete needs.
    "auth": {"user": ("view",)},
}


def _codenames(model: str, actions: Iterable[str]) -> list[str]:
    return [action if "_" in action else f"{action}_{model}" for action in actions]


def _ensure_permissions_exist(apps, app_label: str) -> None:
    """On a fresh database, permissions appear only after `migrate` finishes (post_migrate);
    a data migration creates the ones it needs itself."""
    try:
        app_config = apps.get_app_config(app_label)
    except LookupError:  # a migration's registry from before the app had models
        return
    models_module = getattr(app_config, "models_module", None)  # migration stubs lack it
    app_config.models_module = models_module or True  # create_permissions skips apps without it
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module


def grant_group_permissions(
    apps, group_name: str, app_label: str, models: dict[str, Iterable[str]]
) -> None:
    """Give `group_name` (created if missing) the permissions `models` lists for `app_label`.

    `apps` is a migration's app registry, or `django.apps.apps` outside migrations. Idempotent."""
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _ensure_permissions_exist(apps, app_label)
    group, _ = Group.objects.get_or_create(name=group_name)
    wanted = [
        (model, codename)
        for model, actions in models.items()
        for codename in _codenames(model, actions)
    ]
    permissions = Permission.objects.filter(
        content_type__app_label=app_label,
        content_type__model__in=[model for model, _ in wanted],
        codename__in=[codename for _, codename in wanted],
    )
    group.permissions.add(*permissions)


def create_roles(apps=None) -> None:
    """Create the Editor and Contributor groups with their permissions (data migration)."""
    for group_name, grants in (
        (CONTRIBUTOR, CONTRIBUTOR_PERMISSIONS),
        (EDITOR, EDITOR_PERMISSIONS),
    ):
        for app_label, models in grants.items():
            grant_group_permissions(apps, group_name, app_label, models)


def author_profile_for(user) -> Author:
    """The byline of a login, made from their name the first time they write."""
    author = Author.objects.filter(user=user).first()
    if author:
        return author
    name = user.get_full_name() or user.get_username()
    base = slugify(name) or f"writer-{user.pk}"
    slug, number = base, 1
    while Author.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return Author.objects.create(user=user, display_name=name, slug=slug)
