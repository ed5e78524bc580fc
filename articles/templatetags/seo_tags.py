from django import template

from articles.seo import PageMeta
from articles.seo import page_meta as build_page_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context) -> PageMeta:
    """Title, description, canonical address, social cards, feed links and JSON-LD for the page
    being rendered (see articles.seo). Use as `{% page_meta as seo %}` and
    `{% include "includes/meta.html" %}`."""
    return build_page_meta(context)
