"""Nav menus: imported when the export's one menu maps onto ours (one level of categories, pages,
posts and addresses), otherwise reported. Part of WordPressImporter."""

from collections import defaultdict
from urllib.parse import urlparse

from django.db import transaction

from articles.models import Article, MenuItem, Page
from wordpress.parse import WxrItem
from wordpress.values import plain_text, wordpress_path


class MenuImport:
    def _import_menu(self, items: list[WxrItem]) -> None:
        kind = "menu item"
        if not items:
            return
        menus: dict[str, list[WxrItem]] = defaultdict(list)
        for item in items:
            menu = next((n for d, n, _ in item.terms if d == "nav_menu"), "")
            menus[menu].append(item)

        def skip(reason: str) -> None:
            self.report.notes.append(f"Menus: {reason}; {len(items)} menu items not imported.")
            self.report.counts[kind]["skipped"] += len(items)

        if len(menus) > 1:
            return skip(
                f"the export has {len(menus)} menus ({', '.join(sorted(menus))}) and ours is one; "
                "build it in the admin under Menu items"
            )
        if any(
            item.meta.get("_menu_item_menu_item_parent", "0") not in {"0", ""} for item in items
        ):
            return skip("the menu has sub-items and ours is one level")
        entries = []
        for item in sorted(items, key=lambda i: (i.menu_order, i.post_id or 0)):
            entry = self._menu_entry(item)
            if entry is None:
                return skip(
                    f"the entry “{item.title or item.post_id}” points at something we do not have"
                )
            entries.append(entry)
        current = list(MenuItem.objects.select_related("category", "page"))
        if [(e.label, e.href) for e in entries] == [(c.label, c.href) for c in current]:
            self.report.counts[kind]["unchanged"] += len(entries)  # imported by an earlier run
            return None
        if current:
            return skip("this site already has a menu, which was left as it is")
        with transaction.atomic():
            for order, entry in enumerate(entries, start=1):
                entry.order = order
                entry.save()
        self.report.counts[kind]["created"] += len(entries)

    def _menu_entry(self, item: WxrItem) -> MenuItem | None:
        kind = item.meta.get("_menu_item_type", "")
        target = item.meta.get("_menu_item_object", "")
        object_id = item.meta.get("_menu_item_object_id", "").strip()
        label = plain_text(item.title)
        if kind == "taxonomy" and target == "category" and object_id.isdigit():
            category = self.categories_by_term_id.get(int(object_id))
            return category and MenuItem(label=(label or category.name)[:60], category=category)
        if kind == "post_type" and target == "page" and object_id.isdigit():
            page = Page.objects.filter(wp_post_id=int(object_id)).first()
            return page and MenuItem(label=(label or page.title)[:60], page=page)
        if kind == "post_type" and target == "post" and object_id.isdigit():
            article = Article.objects.filter(wp_post_id=int(object_id)).first()
            return article and MenuItem(
                label=(label or article.title)[:60], url=article.get_absolute_url()
            )
        if kind == "custom":
            url = item.meta.get("_menu_item_url", "").strip()
            if self._ours(url) and urlparse(url).hostname:
                url = wordpress_path(url) or "/"
            if url.startswith(("/", "http://", "https://")) and label:
                return MenuItem(label=label[:60], url=url[:300])
        return None
