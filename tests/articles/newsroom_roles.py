"""Users in the newsroom's roles and the admin article form as a browser would post it."""

from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article
from articles.roles import CONTRIBUTOR, EDITOR, author_profile_for, create_roles
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def make_user(role: str, username: str):
    """A staff login in the Editor or Contributor group (created by the data migration)."""
    if not Group.objects.filter(name=role).exists():
        create_roles()  # a transactional test flushed what the data migration made
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    author_profile_for(user)
    return user


def make_contributor(username: str = "carla"):
    return make_user(CONTRIBUTOR, username)


def make_editor(username: str = "edith"):
    return make_user(EDITOR, username)


def article_form_data(article: Article | None = None, *, step: str = "draft", **overrides) -> dict:
    """The fields the admin change form posts, filled from `article` (or a new one)."""
    data = {
        "title": "A new article",
        "slug": "",
        "dek": "",
        "body": "<p>Some words.</p>",
        "primary_category": "",
        "categories": [],
        "tags": "",
        "featured_image": "",
        "video_url": "",
        "video_caption": "",
        "video_added_by": "",
        "source_name": "",
        "source_url": "",
        "edited_version": "",
        "published_at_0": "",
        "published_at_1": "",
        "_workflow": step,
    }
    if article is not None:
        when = article.published_at and timezone.localtime(article.published_at)
        data.update(
            title=article.title,
            slug=article.slug,
            dek=article.dek,
            body=article.body,
            primary_category=article.primary_category_id or "",
            categories=[c.pk for c in article.categories.all()],
            authors=[a.pk for a in article.authors.all()],
            featured_image=article.featured_image_id or "",
            edited_version=article.updated_at.isoformat(),
            published_at_0=when.strftime("%Y-%m-%d") if when else "",
            published_at_1=when.strftime("%H:%M:%S") if when else "",
        )
        if article.featured:
            data["featured"] = "on"
    data.update(overrides)
    return data


def add_url() -> str:
    return "/admin/articles/article/add/"


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"
