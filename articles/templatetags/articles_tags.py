from urllib.parse import quote, urlencode

from django import template
from django.core.cache import caches
from django.utils.functional import SimpleLazyObject

from articles.models import MenuItem, Publication, site_path

register = template.Library()


@register.simple_tag
def publication() -> Publication:
    """The site's title, tagline and copyright holder (cached; no query on most requests). Read
    only when something shows it: on a page assembled from kept parts, nothing does."""
    return SimpleLazyObject(Publication.current)


@register.inclusion_tag("includes/nav.html", takes_context=True)
def main_navigation(context) -> dict:
    request = context.get("request")
    return {"items": MenuItem.navigation(), "current_path": request.path if request else ""}


@register.filter
def current_menu_href(request) -> str:
    """The menu address the reader is on, or "": all that varies the header from page to page
    (it keys the kept header, so its addresses are kept with the parts: no round trip)."""
    menu_hrefs = caches["template_fragments"].get_or_set(
        "menu-hrefs", lambda: {item.href for item in MenuItem.navigation()}, timeout=None
    )
    return request.path if request.path in menu_hrefs else ""


@register.simple_tag
def navigation_items() -> list[MenuItem]:
    """The editor's menu (cached), for the footer's lists of sections and pages."""
    return MenuItem.navigation()


@register.inclusion_tag("includes/share.html", takes_context=True)
def share_links(context, article) -> dict:
    """Plain share links: no third-party script runs until the reader clicks."""
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    title = article.title
    return {
        "links": [
            ("X", "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title})),
            ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
            ("Reddit", "https://www.reddit.com/submit?" + urlencode({"url": url, "title": title})),
            (
                "Bluesky",
                "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"}),
            ),
            # mailto: wants %20 for spaces, not "+".
            ("Email", "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
        ]
    }


@register.simple_tag
def tag_url(tag) -> str:
    return site_path("tag", tag.slug)


@register.inclusion_tag("includes/popular_block.html")
def popular_articles() -> dict:
    """The sidebar's "Popular" box: pinned articles, then the most read of the last 7 days
    (articles.popular; cached, so most pages run no query for it)."""
    from articles.popular import popular_articles_cached

    return {"articles": popular_articles_cached()}
