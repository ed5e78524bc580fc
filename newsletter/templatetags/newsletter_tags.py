from django import template

from newsletter.abuse import form_timestamp
from newsletter.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/signup_block.html")
def newsletter_signup(source: str = "sidebar") -> dict:
    """The sidebar's newsletter signup box. No query and no CSRF token: it sits on cached pages."""
    form = SubscribeForm(initial={"source": source, "ts": form_timestamp()})
    return {"form": form, "source": source}
