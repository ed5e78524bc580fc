"""The site's public address, `settings.SITE_URL`, as the base of absolute links the admin builds.

`django.contrib.redirects` needs `django.contrib.sites`, so the sites framework stays; its one row
is kept in line with SITE_URL after every `migrate`, so nothing shows the default `example.com`."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from `reverse()` or `get_absolute_url()`) on the public site."""
    return f"{settings.SITE_URL}{path}"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).netloc or "localhost"


def sync_site_row(*, using: str = "default", apps=None, **kwargs) -> None:
    """post_migrate: the Site row of SITE_ID takes its domain from SITE_URL."""
    from django.apps import apps as global_apps

    Site = (apps or global_apps).get_model("sites", "Site")
    domain = site_domain()
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": domain}
    )
