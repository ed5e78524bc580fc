"""Pagination shared by the listings and search: a paginator whose count stops a few pages past
the one shown, and the links includes/pagination.html reads."""

from collections.abc import Callable, Sequence

from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class ListingPaginator(Paginator):
    """Counts only as far as its links reach. An exact count of a section's articles costs time in
    proportion to the archive (some 20 ms at 50,000 articles, on every page built from the
    database); counting at most a few pages past the one shown costs the same at any size, and is
    all the links need: "1 2 [3] 4 5 6 … Older →". Deep pages count further, as far as their
    OFFSET already reads. `is_counted_to_the_end` says whether `count` is the exact total.

    The count is kept with the page's parts (pagecache): it changes only with a change that moves
    the generation on."""

    PAGES_AHEAD = 5
    MOST_PAGES = 1_000_000

    def __init__(
        self,
        articles: Callable[[], QuerySet],
        per_page: int,
        *,
        number: int,
        count_key: str,
        rows: Callable[[list], list],
    ):
        # `articles` builds the listing's query, in order: it is called only to count (when the
        # count is not kept) or to read a page's rows, so a page whose parts are kept builds none.
        super().__init__(articles, per_page)
        self.rows = rows
        # Bounded: an absurd ?page= is a 404 later, never a LIMIT past PostgreSQL's integers.
        number = min(max(number, 1), self.MOST_PAGES)
        self.limit = (number + self.PAGES_AHEAD) * self.per_page + 1
        self.count_key = f"{count_key}:{self.limit}"

    @cached_property
    def count(self) -> int:
        return caches["template_fragments"].get_or_set(
            self.count_key, self._count_reading_ids, timeout=None
        )

    def _count_reading_ids(self) -> int:
        """Count by reading the articles' ids in their order, up to the limit: the same rows an
        OFFSET would walk, and the shown page's ids come with them, so its rows are then read by
        primary key with `rows(ids)` (a query planned at once, whatever the listing's filters;
        it must keep the listing's order)."""
        self._ids_in_order = list(self.object_list().values_list("pk", flat=True)[: self.limit])
        return len(self._ids_in_order)

    def page(self, number) -> Page:
        number = self.validate_number(number)  # counts, reading the ids unless the count was kept
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.__dict__.get("_ids_in_order")
        if ids is None:  # the count was kept: the rows are read (if at all) by a slice of ids
            shown = self.object_list().values_list("pk", flat=True)[bottom:top]
            return self._get_page(RowsWhenRead(lambda: self.rows(shown)), number, self)
        return self._get_page(self.rows(ids[bottom:top]), number, self)

    @property
    def is_counted_to_the_end(self) -> bool:
        return self.count < self.limit

    @property
    def counted_at_least(self) -> int:
        """What is known when the count stopped short: more than this many."""
        return self.limit - 1

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        numbers = list(
            super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)
        )
        if self.is_counted_to_the_end:
            return numbers
        # The last pages counted are not the last pages: a gap instead of them, then "Older".
        last_shown = self.validate_number(number) + on_each_side
        # (`is`: ELLIPSIS is a lazy translation, and each `==` translates it again.)
        numbers = [n for n in numbers if n is self.ELLIPSIS or n <= last_shown]
        return numbers if numbers[-1] is self.ELLIPSIS else [*numbers, self.ELLIPSIS]


class RowsWhenRead(Sequence):
    """A page's rows, read when first used: the date archives ask for their page before the
    template runs, and a page whose parts are kept never reads it."""

    def __init__(self, read: Callable[[], list]):
        self._read = read

    @cached_property
    def _rows(self) -> list:
        return self._read()

    def __getitem__(self, index):
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)


def pagination_links(page: Callable[[], Page], url: Callable[[int], str]) -> dict:
    """What includes/pagination.html reads: `previous_page_url`, `next_page_url`, and
    `page_links`, (number, address) pairs with the gaps as ("…", None). Each is a callable of the
    page (itself given as one): the template calls them only when it renders the pagination,
    which a kept part does not."""

    def page_links() -> list[tuple]:
        shown = page()
        ellipsis = shown.paginator.ELLIPSIS
        gap = str(ellipsis)  # translated once, not at each comparison
        numbers = shown.paginator.get_elided_page_range(shown.number, on_each_side=2)
        return [(gap, None) if n is ellipsis else (n, url(n)) for n in numbers]

    return {
        "previous_page_url": lambda: page().has_previous() and url(page().previous_page_number()),
        "next_page_url": lambda: page().has_next() and url(page().next_page_number()),
        "page_links": page_links,
    }
