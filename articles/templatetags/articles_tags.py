import html
from urllib.parse import quote, urlencode

from django import template
from django.core.cache import caches
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import SimpleLazyObject
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
# Python rather than included templates, and with str.format and html.escape rather than
# format_html (which escapes through lazy wrappers): a listing draws ten to fourteen of them, and
# they are most of the page's rendering when it is built from the database.


def _escape(value) -> str:
    """As Django's escape(), without its laziness wrapper: the text, HTML-escaped."""
    return html.escape(str(value))


@register.simple_tag
def picture(image, sizes: str = "100vw", eager: bool = False) -> SafeString:
    """One library image with its intrinsic size (no layout shift). `sizes` says how wide it is
    drawn; `eager` for the first image on a page (others load lazily). The renditions made at
    upload (articles/renditions.py) give WebP and original-format `srcset`s; an image without them
    (not yet processed) falls back to its file."""
    renditions = image.renditions if isinstance(image.renditions, dict) else {}
    size = 'width="{}" height="{}" alt="{}"'.format(
        _escape(image.width or ""), _escape(image.height or ""), _escape(image.alt_text)
    )
    sizes = _escape(sizes)
    if renditions.get("webp"):
        originals = renditions.get("original") or []
        return mark_safe(
            '<picture>\n  <source type="image/webp" srcset="{}" sizes="{}">\n'
            '  <img src="{}" srcset="{}" sizes="{}" {}{} decoding="async">\n</picture>'.format(
                _escape(_srcset(renditions["webp"])),
                sizes,
                _escape(originals[-1].get("url", "") if originals else ""),
                _escape(_srcset(originals)),
                sizes,
                size,
                ' fetchpriority="high"' if eager else ' loading="lazy"',
            )
        )
    return mark_safe(
        '<img src="{}" {}{} decoding="async"{}>'.format(
            _escape(image.file.url),
            size,
            "" if eager else ' loading="lazy"',
            f' sizes="{sizes}"' if sizes else "",
        )
    )


def _srcset(renditions: list) -> str:
    return ", ".join(f"{r.get('url', '')} {r.get('width', '')}w" for r in renditions)


@register.simple_tag
def byline(article) -> SafeString:
    """By A, B and C, and the date (the authors read with the rows: articles' `for_listing()`)."""
    authors = [
        f'<a href="{_escape(author.url)}" rel="author">{_escape(author.name)}</a>'
        for author in article.bylines()
    ]
    names = ""
    if authors:
        joined = (
            authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
        )
        names = f'<span class="byline__authors">By {joined}</span>'
    return mark_safe(f'<p class="byline">{names} {published_time(article.published_at)}</p>')


@register.simple_tag
def published_time(moment) -> SafeString:
    """<time> for a publication moment, in the site's time zone, as the `date` filter shows it
    ("c" and "F j, Y"; written out: Django's date formatting is the slower part of a card)."""
    if not moment:
        return mark_safe("")
    local = timezone.localtime(moment)
    shown = f"{MONTHS[local.month]} {local.day}, {local.year:04d}"
    return mark_safe(f'<time datetime="{local.isoformat()}">{_escape(shown)}</time>')


def _kicker(article) -> str:
    category = article.primary_category
    if not category:
        return ""
    return (
        f'<p class="kicker"><a href="{_escape(category.get_absolute_url())}">'
        f"{_escape(category.name)}</a></p>"
    )


@register.simple_tag
def search_result(article) -> SafeString:
    """A search result: section, title and snippet with the reader's words marked (made safe by
    articles.search), and the byline."""
    return mark_safe(
        f'<article class="search-result">{_kicker(article)}'
        f'<h2 class="search-result__title"><a href="{_escape(article.get_absolute_url())}">'
        f"{article.title_highlighted}</a></h2>{byline(article)}"
        f'<p class="search-result__snippet">{article.snippet}</p></article>'
    )


@register.simple_tag
def facet_options(options) -> SafeString:
    """A search facet's options (articles.search.FacetOption), each a link that adds it to the
    search, or removes it if chosen."""
    items = []
    for option in options:
        label = f'{_escape(option.label)} <span class="count">({option.count})</span>'
        if option.selected:
            link = (
                f'<a aria-current="true" href="{_escape(option.href)}">{label}'
                ' <span class="search-facets__remove">remove</span></a>'
            )
        else:
            link = f'<a href="{_escape(option.href)}">{label}</a>'
        items.append(f"<li>{link}</li>")
    return mark_safe("".join(items))


@register.simple_tag
def article_card(
    article, heading_level: int = 2, large: bool = False, eager: bool = False
) -> SafeString:
    """An article's teaser in a listing: picture, section, title, byline, summary."""
    url = _escape(article.get_absolute_url())
    image = ""
    if article.featured_image:
        image = (
            f'<a class="card__image" href="{url}" tabindex="-1" aria-hidden="true">'
            f"{picture(article.featured_image, '(min-width: 960px) 640px, 100vw', eager)}</a>"
        )
    level = int(heading_level)
    return mark_safe(
        f'<article class="card{" card--large" if large else ""}">{image}'
        f'<div class="card__text">{_kicker(article)}'
        f'<h{level} class="card__title"><a href="{url}">{_escape(article.title)}</a></h{level}>'
        f'{byline(article)}<p class="card__summary">{_escape(article.summary)}</p></div></article>'
    )
