"""`{% fragment %}`: a part of a reader page rendered once per page-cache generation.

The full-page cache (config.page_cache) answers anonymous readers. Everyone else still reaches the
views: signed-in readers, each variant of a page (host, language, compression), and every reader
whenever the page cache is off or has just been emptied by a save. Most of what those pages show
is shared (header, sidebar, footer) or changes only with a save (an article's text, a listing's
teasers), so the layout and the reader templates wrap those parts in

    {% load fragments %}
    {% fragment "sidebar" request.resolver_match.namespace %} … {% endfragment %}

The name and the values after it (resolved in the template) say what varies the part; the scheme
and host always do (parts hold absolute addresses). Parts are kept with `page_cache.remember`,
under the same generation as whole pages, so the same saves invalidate both and there is no second
set of rules to keep right. A part must not hold anything of one request: a CSRF token, a CSP
nonce, a message, a signed-in user's name. What it sets with `{% … as name %}` stays inside it (on a
hit it is never set), so a part may use the page's variables but not give any back.

Views keep the few facts a page needs even when its parts are kept (which article an address
names, when the newest went out) with `keep()`, under the same rules.

FRAGMENT_CACHE=0 renders every part and looks up every fact every time; a template rendered with
`fragment_cache=False` in its context (previews) renders its parts every time.
"""

from collections.abc import Callable

from django import template
from django.conf import settings
from django.template.base import Node, NodeList
from django.utils.safestring import mark_safe

from config import page_cache

register = template.Library()


def keep[T](key_parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, kept until the next change to what pages show (see `page_cache.remember`), or
    computed every time when FRAGMENT_CACHE is off. An exception (Http404) is not kept."""
    if not settings.FRAGMENT_CACHE:
        return compute()
    return page_cache.remember(("keep", *key_parts), compute)


class FragmentNode(Node):
    def __init__(self, name: str, vary: list, nodelist: NodeList):
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context) -> str:
        request = context.get("request")
        if (
            not settings.FRAGMENT_CACHE
            or request is None
            or not context.get("fragment_cache", True)
        ):
            return self.render_inside(context)
        key_parts = (
            "fragment",
            self.name,
            request.scheme,
            request.get_host(),
            *(str(value.resolve(context)) for value in self.vary),
        )
        return mark_safe(page_cache.remember(key_parts, lambda: self.render_inside(context)))

    def render_inside(self, context) -> str:
        # A pushed context: what the part sets must not leak out, or the rest of the page would
        # see it after a miss but not after a hit.
        with context.push():
            return str(self.nodelist.render(context))


@register.tag
def fragment(parser, token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            "{% fragment %} takes a quoted name, then the values that vary the part."
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


@register.filter
def page_identity(request) -> str:
    """The page's path and query, without tracking parameters, in a stable order (the page
    cache's notion of "the same page")."""
    return request.path + "?" + page_cache.canonical_query(request.META.get("QUERY_STRING", ""))
