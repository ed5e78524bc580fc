from django import template

from newsletter.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/signup_block.html")
def newsletter_signup(source: str = "sidebar") -> dict:
    """The sidebar's newsletter signup box. No query and no CSRF token: it sits on cached pages."""
    # No stamp in the (cached) box: the signup script fetches a fresh one on first touch.
    form = SubscribeForm(initial={"source": source})
    return {"form": form, "source": source}
