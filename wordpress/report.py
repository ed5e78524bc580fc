"""What an import did: counts per kind and outcome, and everything a person should look at."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field


class ItemError(Exception):
    """One item cannot be imported; the message says why."""


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    shortcode_examples: dict[str, str] = field(default_factory=dict)
    unconverted: list[str] = field(default_factory=list)
    dropped_blocks: Counter = field(default_factory=Counter)
    missing_media: dict[str, str] = field(default_factory=dict)
    skipped_types: Counter = field(default_factory=Counter)
    comments: int = 0
    private_as_draft: list[str] = field(default_factory=list)
    protected_as_draft: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def failed(self) -> int:
        return sum(counter["failed"] for counter in self.counts.values())
