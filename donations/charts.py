"""Monthly totals drawn as server-side SVG: the CSP forbids chart scripts and inline styles."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from donations.models import DonationQuerySet

CHART_WIDTH = 720
CHART_HEIGHT = 240
LABEL_SPACE = 36  # below the bars, for month names
TOP_SPACE = 20  # above the tallest bar, for its figure


@dataclass
class Bar:
    month: datetime.date
    total: Decimal
    x: int
    y: int
    width: int
    height: int

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y") if self.month.month == 1 else self.month.strftime("%b")


def _month_starts(last: datetime.date, count: int) -> list[datetime.date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def monthly_chart(queryset: DonationQuerySet, *, currency: str, months: int = 12) -> dict:
    """Bars for the last `months` calendar months (empty months included) in one currency."""
    starts = _month_starts(timezone.localdate(), months)
    first = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time()))
    totals = {
        timezone.localtime(row["month"]).date()
        if isinstance(row["month"], datetime.datetime)
        else row["month"]: row["total"]
        for row in queryset.filter(received_at__gte=first).monthly_totals(currency)
    }
    values = [totals.get(start, Decimal("0")) for start in starts]
    peak = max([v for v in values if v > 0], default=Decimal("0"))
    plot_height = CHART_HEIGHT - LABEL_SPACE - TOP_SPACE
    slot = CHART_WIDTH // months
    bars = []
    for index, (start, total) in enumerate(zip(starts, values, strict=True)):
        height = int(plot_height * max(total, Decimal("0")) / peak) if peak else 0
        bars.append(
            Bar(
                month=start,
                total=total,
                x=index * slot + slot // 8,
                y=TOP_SPACE + plot_height - height,
                width=slot - slot // 4,
                height=height,
            )
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": TOP_SPACE + plot_height,
        "label_y": CHART_HEIGHT - LABEL_SPACE // 2,
        "peak": peak,
        "sum": sum(values, Decimal("0")),
    }
