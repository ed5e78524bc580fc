"""Authors, categories and tags: written before the posts that refer to them, and cached by
their WordPress names so posts need no lookups. Part of WordPressImporter."""

from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.urls import reverse
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Author, Category
from wordpress.parse import WxrAuthor, WxrTerm
from wordpress.values import clean_login, clean_slug, plain_text, username_for

User = get_user_model()


class TermImport:
    def _import_authors(self) -> None:
        self.authors: dict[str, Author] = {}
        declared: dict[str, WxrAuthor] = {}
        for wp_author in self.export.authors:
            login = self._login(wp_author.login, "wp:author_login")
            if login:
                wp_author.login = login
                declared.setdefault(login, wp_author)
        for item in self.export.items:
            creator = self._login(
                item.creator, f"dc:creator (first in {item.post_type} {item.post_id})"
            )
            item.creator = creator
            if item.post_type in {"post", "page"} and creator and creator not in declared:
                declared[creator] = WxrAuthor(login=creator)
                self.report.notes.append(
                    f"Author “{creator}” writes {item.post_type} {item.post_id} but is not among "
                    "the export's authors; imported with the login as name."
                )
        usernames = [username_for(login) for login in declared]
        self.users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        self.profiles = {a.user_id: a for a in Author.objects.filter(user__username__in=usernames)}
        self._each("author", list(declared.values()), self._import_author)

    def _login(self, raw: str, where: str) -> str:
        login = clean_login(raw)
        if login != raw.strip() and raw not in self.odd_logins:  # once per spelling
            self.odd_logins.add(raw)
            self.report.notes.append(f"Author: {where} “{raw[:40]}” read as “{login}”.")
        return login

    def _import_author(self, wp_author: WxrAuthor) -> str:
        username = username_for(wp_author.login)
        full_name = f"{wp_author.first_name} {wp_author.last_name}".strip()
        display_name = (wp_author.display_name or full_name or wp_author.login)[:120]
        outcome = "unchanged"
        user = self.users.get(username)
        if user is None:
            # An account to attach the byline to, not a login: inactive, with no usable password.
            user = User(
                username=username,
                email=wp_author.email[:254],
                first_name=wp_author.first_name[:150],
                last_name=wp_author.last_name[:150],
                is_active=False,
            )
            user.set_unusable_password()
            user.save()
            self.users[username] = user
            outcome = "created"
        author = self.profiles.get(user.pk)
        if author is None:
            # WordPress's author address uses sanitize_title(login), which turns dots into dashes.
            nicename = wp_author.login.replace(".", "-")
            base = clean_slug(nicename, 130) or f"author-{wp_author.wp_id or user.pk}"
            author = Author.objects.create(
                user=user, display_name=display_name, slug=self.author_slugs.claim(base)
            )
            self.profiles[user.pk] = author
            outcome = "created"
        elif author.display_name != display_name and wp_author.display_name:
            author.display_name = display_name
            author.save(update_fields=["display_name"])
            outcome = "updated"
        self.authors[wp_author.login] = author
        if wp_author.wp_id:
            self._keep_query_address("author", wp_author.wp_id, author.get_absolute_url())
        return outcome

    # --- Categories and tags --------------------------------------------------------------

    def _import_terms(self) -> None:
        categories: dict[str, WxrTerm] = {}
        tags: dict[str, WxrTerm] = {}
        for term in self.export.terms:
            if term.taxonomy == "category" and term.slug:
                categories[term.slug] = term
            elif term.taxonomy == "post_tag" and term.slug:
                tags[term.slug] = term
        # Exports from WordPress.com sometimes name terms only on the items that use them.
        for item in self.export.items:
            for domain, nicename, name in item.terms:
                if domain == "category" and nicename and nicename not in categories:
                    categories[nicename] = WxrTerm("category", slug=nicename, name=name)
                elif domain == "post_tag" and nicename and nicename not in tags:
                    tags[nicename] = WxrTerm("post_tag", slug=nicename, name=name)
        self.categories: dict[str, Category] = {}  # by WordPress nicename
        self.categories_by_term_id: dict[int, Category] = {}
        self.category_terms = categories
        self.existing_categories = {c.slug: c for c in Category.objects.all()}
        self._each("category", parents_first(categories), self._import_category)
        self.tags: dict[str, Tag] = {}
        self.tags_by_term_id: dict[int, Tag] = {}
        self.existing_tags = {t.slug: t for t in Tag.objects.all()}
        self.existing_tag_names = {t.name.lower(): t for t in self.existing_tags.values()}
        self._each("tag", list(tags.values()), self._import_tag)

    def _import_category(self, term: WxrTerm) -> str:
        slug = (
            clean_slug(term.slug, 120)
            or clean_slug(term.name, 120)
            or f"category-{term.term_id or len(self.categories)}"
        )
        name = (plain_text(term.name) or slug)[:100]
        description = plain_text(term.description)
        parent = self.categories.get(term.parent_slug) if term.parent_slug else None
        if term.parent_slug and parent is None:
            self.report.notes.append(
                f"Category “{name}”: its parent “{term.parent_slug}” is not in the export; "
                "imported at the top level."
            )
        category = self.existing_categories.get(slug)
        if parent is not None and category is not None and within(parent, category):
            self.report.notes.append(f"Category “{name}”: its parents form a loop; cut here.")
            parent = None
        outcome = "unchanged"
        if category is None:
            category = Category.objects.create(
                name=name, slug=slug, description=description, parent=parent
            )
            self.existing_categories[slug] = category
            outcome = "created"
        else:
            wanted = {"name": name, "description": description, "parent_id": parent and parent.pk}
            changed = [key for key, value in wanted.items() if getattr(category, key) != value]
            if changed:
                for key in changed:
                    setattr(category, key, wanted[key])
                category.save(update_fields=[key.removesuffix("_id") for key in changed])
                outcome = "updated"
        self.categories[term.slug] = category
        self._keep_term_address("category", term.slug, category.get_absolute_url())
        if term.term_id:
            self.categories_by_term_id[term.term_id] = category
            self._keep_query_address("cat", term.term_id, category.get_absolute_url())
        return outcome

    def _import_tag(self, term: WxrTerm) -> str:
        slug = clean_slug(term.slug, 100) or slugify(term.name)[:100] or f"tag-{term.term_id}"
        name = (plain_text(term.name) or slug)[:100]
        tag = self.existing_tags.get(slug) or self.existing_tag_names.get(name.lower())
        outcome = "unchanged"
        if tag is None:
            tag = Tag.objects.create(name=name, slug=slug)
            self.existing_tags[slug] = tag
            self.existing_tag_names[name.lower()] = tag
            outcome = "created"
        elif tag.name != name and name.lower() not in self.existing_tag_names:
            tag.name = name
            tag.save(update_fields=["name"])
            outcome = "updated"
        self.tags[term.slug] = tag
        if term.term_id:
            self.tags_by_term_id[term.term_id] = tag
        self._keep_term_address(
            "tag", term.slug, reverse("articles:tag", kwargs={"slug": tag.slug})
        )
        return outcome

    def _keep_term_address(self, base: str, wordpress_slug: str, new_url: str) -> None:
        """A term whose slug had to change (non-Latin, too long) keeps its old address: a fixed
        django.contrib.redirects row is enough, as term addresses rarely move."""
        old = _term_path(base, wordpress_slug)
        if old == new_url or self.dry_run:
            return
        Redirect.objects.update_or_create(
            site_id=settings.SITE_ID, old_path=old[:200], defaults={"new_path": new_url}
        )

    def _keep_query_address(self, key: str, wordpress_id: int, new_url: str) -> None:
        """WordPress also links terms and authors by id (`/?cat=12`, `/?author=3`); the ids are
        not kept on our rows, so each becomes a fixed redirect (read by wordpress.redirects)."""
        if self.dry_run:
            return
        Redirect.objects.update_or_create(
            site_id=settings.SITE_ID,
            old_path=query_address(key, wordpress_id),
            defaults={"new_path": new_url},
        )


def query_address(key: str, wordpress_id: int | str) -> str:
    """How a WordPress id link is stored as a redirect's old path."""
    return f"/?{key}={wordpress_id}"


def _term_path(base: str, wordpress_slug: str) -> str:
    """The address WordPress gave a term, as Django's request.get_full_path() spells it."""
    return f"/{base}/{quote(unquote(wordpress_slug).lower(), safe='-_')}/"


def within(category: Category, ancestor: Category) -> bool:
    """Whether `category` is `ancestor` or sits somewhere below it."""
    seen = set()
    while category is not None and category.pk not in seen:
        if category.pk == ancestor.pk:
            return True
        seen.add(category.pk)
        category = category.parent
    return False


def parents_first(terms: dict[str, WxrTerm]) -> list[WxrTerm]:
    """Categories ordered so a parent comes before its children (a cycle is cut, not followed)."""

    def depth(term: WxrTerm) -> int:
        seen = {term.slug}
        level = 0
        while term.parent_slug and term.parent_slug in terms and term.parent_slug not in seen:
            term = terms[term.parent_slug]
            seen.add(term.slug)
            level += 1
        return level

    return sorted(terms.values(), key=depth)
