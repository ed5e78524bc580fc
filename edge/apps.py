from django.apps import AppConfig


class EdgeConfig(AppConfig):
    """What happens at the edge of every request, before any app sees it: the request log and id,
    security headers, refusing malformed input, the client's address behind proxies, the database
    outage page and the health probes."""

    name = "edge"
    verbose_name = "Request edge"
