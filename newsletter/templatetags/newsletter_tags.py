import functools

from django import template

from newsletter.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/signup_block.html")
def newsletter_signup(source: str = "sidebar") -> dict:
    """The sidebar's newsletter signup box. No query and no CSRF token: it sits on cached pages."""
    return {"form": _blank_form(source), "source": source}


@functools.cache
def _blank_form(source: str) -> SubscribeForm:
    """One unbound form per source and process, which the template only reads: making one (a
    deep copy of its fields) was a quarter of the box's time on a page built from the database.
    No stamp in it: the signup script fetches a fresh one on first touch."""
    return SubscribeForm(initial={"source": source})
