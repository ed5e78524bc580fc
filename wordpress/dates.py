"""Dates as the old site showed them.

WordPress builds a post's address from `post_date`, the site's local wall-clock time, not from
`post_date_gmt`. So we read `post_date` in the zone our addresses are made in (TIME_ZONE, or
`--timezone` when the operator names the old site's zone): every imported post keeps its day, its
address and the time readers saw. `post_date_gmt` fills in where `post_date` is empty, and tells
which zone the old site ran on (their difference is its UTC offset), reported when it is not ours.
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from wordpress.parse import WxrItem
from wordpress.report import ItemError

WP_FORMAT = "%Y-%m-%d %H:%M:%S"
SAMPLES = 40


def parse_wp_naive(value: str) -> datetime.datetime | None:
    """`2019-05-03 14:00:00` as a naive datetime; None for WordPress's zero date."""
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.datetime.strptime(value, WP_FORMAT)  # noqa: DTZ007 (zone given by caller)
    except ValueError as error:
        raise ItemError(f"its date “{value[:30]}” is not a date") from error


def item_date(item: WxrItem, zone: datetime.tzinfo) -> datetime.datetime | None:
    """When the post was published: its local date in `zone`, else its GMT date. A scheduled
    post goes by its GMT date: it has no public address yet, and must go live on the minute."""
    local = parse_wp_naive(item.post_date)
    gmt = parse_wp_naive(item.post_date_gmt)
    if local is not None and not (item.status == "future" and gmt is not None):
        return timezone.make_aware(local, zone)
    return gmt.replace(tzinfo=datetime.UTC) if gmt else None


@dataclass
class ZoneCheck:
    """What the export's two dates say about the old site's zone, against ours."""

    offsets: set[datetime.timedelta] = field(default_factory=set)
    samples: list[tuple[datetime.datetime, datetime.timedelta]] = field(default_factory=list)
    differing: int = 0  # posts whose old UTC offset is not ours at that moment

    def fitting_zones(self) -> list[str]:
        """IANA zones that give every sampled post its old offset (DST included)."""
        fits = []
        for name in sorted(zoneinfo.available_timezones()):
            if name.startswith(("Etc/", "SystemV/")) or "/" not in name:
                continue
            zone = zoneinfo.ZoneInfo(name)
            if all(gmt.astimezone(zone).utcoffset() == offset for gmt, offset in self.samples):
                fits.append(name)
        return fits


def check_zone(items: Iterable[WxrItem], zone: datetime.tzinfo) -> ZoneCheck:
    check = ZoneCheck()
    seen: set[tuple[int, datetime.timedelta]] = set()
    for item in items:
        try:
            local, gmt = parse_wp_naive(item.post_date), parse_wp_naive(item.post_date_gmt)
        except ItemError:
            continue  # reported when the item itself is imported
        if local is None or gmt is None:
            continue
        gmt = gmt.replace(tzinfo=datetime.UTC)
        offset = local - gmt.replace(tzinfo=None)
        check.offsets.add(offset)
        if gmt.astimezone(zone).utcoffset() != offset:
            check.differing += 1
        key = (gmt.year * 12 + gmt.month, offset)
        if key not in seen and len(check.samples) < SAMPLES:
            seen.add(key)
            check.samples.append((gmt, offset))
    return check


def describe_offsets(offsets: set[datetime.timedelta]) -> str:
    def one(offset: datetime.timedelta) -> str:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    return "/".join(one(o) for o in sorted(offsets))
