"""The admin home's dashboard: what the editor (or a contributor) should look at first."""

from django import template

from articles.models import Article

register = template.Library()

DASHBOARD_ROWS = 8


@register.inclusion_tag("admin/includes/newsroom_dashboard.html", takes_context=True)
def newsroom_dashboard(context) -> dict:
    user = context["request"].user
    articles = (
        Article.objects.visible_in_admin_to(user)
        .select_related("primary_category")
        .prefetch_related("authors")
    )
    return {
        "is_editor": user.has_perm("articles.edit_any_article"),
        "in_review": list(articles.in_review().order_by("updated_at")[:DASHBOARD_ROWS]),
        "scheduled": list(articles.scheduled().order_by("published_at")[:DASHBOARD_ROWS]),
        "drafts": list(
            articles.filter(status=Article.Status.DRAFT).order_by("-updated_at")[:DASHBOARD_ROWS]
        ),
        "recent": list(articles.published().newest_first()[:DASHBOARD_ROWS]),
    }
