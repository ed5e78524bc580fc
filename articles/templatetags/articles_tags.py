from urllib.parse import quote, urlencode

from django import template
from django.core.cache import caches
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

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


# --- The pieces every listing repeats: a card per article, with its picture and byline. Built in
# Python rather than included templates: a listing draws ten to fourteen of them, and as included
# templates they took a third of a page's render time when the page was built from the database.


@register.simple_tag
def picture(image, sizes: str = "100vw", eager: bool = False) -> SafeString:
    """One library image with its intrinsic size (no layout shift). `sizes` says how wide it is
    drawn; `eager` for the first image on a page (others load lazily). The renditions made at
    upload (articles/renditions.py) give WebP and original-format `srcset`s; an image without them
    (not yet processed) falls back to its file."""
    renditions = image.renditions if isinstance(image.renditions, dict) else {}
    size = format_html(
        'width="{}" height="{}" alt="{}"', image.width or "", image.height or "", image.alt_text
    )
    loading = mark_safe(' fetchpriority="high"' if eager else ' loading="lazy"')
    if renditions.get("webp"):
        originals = renditions.get("original") or []
        return format_html(
            '<picture>\n  <source type="image/webp" srcset="{}" sizes="{}">\n'
            '  <img src="{}" srcset="{}" sizes="{}" {}{} decoding="async">\n</picture>',
            _srcset(renditions["webp"]),
            sizes,
            originals[-1].get("url", "") if originals else "",
            _srcset(originals),
            sizes,
            size,
            loading,
        )
    return format_html(
        '<img src="{}" {}{} decoding="async"{}>',
        image.file.url,
        size,
        mark_safe("" if eager else ' loading="lazy"'),
        format_html(' sizes="{}"', sizes) if sizes else "",
    )


def _srcset(renditions: list) -> str:
    return ", ".join(f"{r.get('url', '')} {r.get('width', '')}w" for r in renditions)


@register.simple_tag
def byline(article) -> SafeString:
    """By A, B and C, and the date (the authors prefetched: articles' `for_listing()`)."""
    authors = [
        format_html('<a href="{}" rel="author">{}</a>', a.get_absolute_url(), a.display_name)
        for a in article.authors.all()
    ]
    names = ""
    if authors:
        joined = (
            authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
        )
        names = format_html('<span class="byline__authors">By {}</span>', mark_safe(joined))
    return format_html('<p class="byline">{} {}</p>', names, published_time(article.published_at))


@register.simple_tag
def published_time(moment) -> SafeString:
    """<time> for a publication moment, in the site's time zone, as the `date` filter shows it."""
    if not moment:
        return mark_safe("")
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>', format_date(local, "c"), format_date(local, "F j, Y")
    )


@register.simple_tag
def article_card(
    article, heading_level: int = 2, large: bool = False, eager: bool = False
) -> SafeString:
    """An article's teaser in a listing: picture, section, title, byline, summary."""
    url = article.get_absolute_url()
    image = ""
    if article.featured_image:
        image = format_html(
            '<a class="card__image" href="{}" tabindex="-1" aria-hidden="true">{}</a>',
            url,
            picture(article.featured_image, "(min-width: 960px) 640px, 100vw", eager),
        )
    kicker = ""
    if article.primary_category:
        category = article.primary_category
        kicker = format_html(
            '<p class="kicker"><a href="{}">{}</a></p>', category.get_absolute_url(), category.name
        )
    level = int(heading_level)
    return format_html(
        '<article class="card{}">{}<div class="card__text">{}'
        '<h{} class="card__title"><a href="{}">{}</a></h{}>{}'
        '<p class="card__summary">{}</p></div></article>',
        " card--large" if large else "",
        image,
        kicker,
        level,
        url,
        article.title,
        level,
        byline(article),
        article.summary,
    )
