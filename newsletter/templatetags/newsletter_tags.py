from django import template

register = template.Library()


@register.inclusion_tag("newsletter/signup_block.html")
def newsletter_signup() -> dict:
    """The sidebar's newsletter signup box. (Placeholder until the newsletter issue builds it.)"""
    return {}
