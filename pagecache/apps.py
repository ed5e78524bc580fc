"""How an app tells the page cache what its pages show: two attributes on its AppConfig.

    class ArticlesConfig(AppConfig):
        page_cache_models = ["articles.Article", "taggit.Tag", ...]
        page_cache_next_change = "articles.models.next_scheduled_publication"

A save or delete of a row of a declared model (or a link or unlink of its many-to-many fields)
bumps the generation after the transaction commits, dropping every kept page and part at once.
`page_cache_next_change` names a function returning when pages will next change without a save
(a scheduled article going live), or None. This app reads both in `ready()`; nothing else is
registered by hand.
"""

from django.apps import AppConfig, apps
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.module_loading import import_string

from pagecache import backends, generation


def _on_change(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    if kwargs.get("action", "post_").startswith("pre_"):  # m2m_changed fires before and after
        return
    generation.bump_on_commit(using)


def watch(model: type[Model]) -> None:
    uid = f"pagecache:{model._meta.label}"
    post_save.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            _on_change,
            sender=field.remote_field.through,
            dispatch_uid=f"{uid}:{field.name}",
            weak=False,
        )


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        request_started.connect(backends.begin_request, dispatch_uid="pagecache:begin_request")
        request_finished.connect(backends.end_request, dispatch_uid="pagecache:end_request")
        for config in apps.get_app_configs():
            for label in getattr(config, "page_cache_models", ()):
                watch(apps.get_model(label))
            hook = getattr(config, "page_cache_next_change", None)
            if hook:
                function = import_string(hook)
                if function not in generation.next_change_hooks:
                    generation.next_change_hooks.append(function)
