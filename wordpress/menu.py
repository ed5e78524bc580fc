"""Nav menus: the site's main menu comes into our editable main menu (admin → Menu items).

A WXR file does not say which menu a theme location shows, so the main menu is the one named
like a primary location (primary, main, header, …) or else the largest. Our menu is one level:
its top-level entries come in, pointing at the imported categories, pages, posts, tags and
addresses; sub-entries, other menus and entries we cannot point anywhere are listed in the report.
Part of WordPressImporter."""

from collections import defaultdict
from urllib.parse import urlparse

from django.db import transaction
from django.urls import reverse

from articles.models import Article, MenuItem, Page
from wordpress.parse import WxrItem
from wordpress.values import plain_text, wordpress_path

PRIMARY_NAMES = ("primary", "main", "header", "top", "navigation", "primary-menu", "main-menu")


def choose_main_menu(menus: dict[str, list[WxrItem]]) -> str:
    """The menu a primary location most likely showed: by name, else the one with most entries."""
    for name in PRIMARY_NAMES:
        for slug in menus:
            if slug.lower() == name or slug.lower().startswith(f"{name}-"):
                return slug
    return max(menus, key=lambda slug: (len(menus[slug]), slug))


class MenuImport:
    def _import_menu(self, items: list[WxrItem]) -> None:
        kind = "menu item"
        if not items:
            return
        menus: dict[str, list[WxrItem]] = defaultdict(list)
        for item in items:
            menu = next((n for d, n, _ in item.terms if d == "nav_menu"), "")
            menus[menu].append(item)
        main = choose_main_menu(menus)
        for slug, entries in sorted(menus.items()):
            if slug != main:
                self.report.notes.append(
                    f"Menus: “{slug or '(unnamed)'}” ({len(entries)} entries) not imported; "
                    f"the main menu is “{main}”. Add entries in the admin under Menu items."
                )
                self.report.counts[kind]["skipped"] += len(entries)
        top_level = []
        for item in sorted(menus[main], key=lambda i: (i.menu_order, i.post_id or 0)):
            if item.meta.get("_menu_item_menu_item_parent", "0").strip() not in {"0", ""}:
                self.report.notes.append(
                    f"Menus: sub-entry “{plain_text(item.title) or item.post_id}” not imported "
                    "(our menu is one level); link it from its parent page if needed."
                )
                self.report.counts[kind]["skipped"] += 1
                continue
            entry = self._menu_entry(item)
            if entry is None:
                self.report.notes.append(
                    f"Menus: entry “{plain_text(item.title) or item.post_id}” points at something "
                    f"not imported ({item.meta.get('_menu_item_object', '?')}); left out."
                )
                self.report.counts[kind]["skipped"] += 1
                continue
            top_level.append(entry)
        current = list(MenuItem.objects.select_related("category", "page"))
        if [(e.label, e.href) for e in top_level] == [(c.label, c.href) for c in current]:
            self.report.counts[kind]["unchanged"] += len(top_level)  # imported by an earlier run
            return
        if current:
            self.report.notes.append(
                f"Menus: this site already has a menu, which was left as it is; "
                f"{len(top_level)} entries of “{main}” not imported."
            )
            self.report.counts[kind]["skipped"] += len(top_level)
            return
        with transaction.atomic():
            for order, entry in enumerate(top_level, start=1):
                entry.order = order
                entry.full_clean()
                entry.save()
        self.report.counts[kind]["created"] += len(top_level)

    def _menu_entry(self, item: WxrItem) -> MenuItem | None:
        kind = item.meta.get("_menu_item_type", "")
        target = item.meta.get("_menu_item_object", "")
        object_id = item.meta.get("_menu_item_object_id", "").strip()
        label = plain_text(item.title)
        number = int(object_id) if object_id.isdigit() else None
        if kind == "taxonomy" and target == "category" and number:
            category = self.categories_by_term_id.get(number)
            return category and MenuItem(label=(label or category.name)[:60], category=category)
        if kind == "taxonomy" and target == "post_tag" and number:
            tag = self.tags_by_term_id.get(number)
            url = tag and reverse("articles:tag", kwargs={"slug": tag.slug})
            return tag and MenuItem(label=(label or tag.name)[:60], url=url)
        if kind == "post_type" and target == "page" and number:
            page = self.pages_by_wp_id.get(number) or Page.objects.filter(wp_post_id=number).first()
            return page and page.pk and MenuItem(label=(label or page.title)[:60], page=page)
        if kind == "post_type" and target == "post" and number:
            article = Article.objects.filter(wp_post_id=number).first()
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
