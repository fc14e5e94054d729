"""Lists that filter and sort through the address (`?stage=job_seeking&sort=name&dir=desc`): the
sort read and bounded like every other parameter (core.params: a value not offered is a 400),
and the links of sortable column headings and of pagination keeping the rest of the address."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest

from openips.core.params import BadParameter

ASCENDING, DESCENDING = "asc", "desc"


@dataclass(frozen=True)
class ListState:
    """Where a list is: its filters as given, and its sort. Makes the links that change one."""

    filters: Mapping[str, str] = field(default_factory=dict)
    sort: str = ""
    descending: bool = False
    default_sort: str = ""

    def _query(self, **changes: str) -> str:
        values = {k: v for k, v in self.filters.items() if v}
        if (self.sort and self.sort != self.default_sort) or self.descending:
            values |= {"sort": self.sort, "dir": DESCENDING if self.descending else ASCENDING}
        values |= changes
        return urlencode({k: v for k, v in values.items() if v})

    def sort_href(self, key: str) -> str:
        """A heading's link: sorts by its column, or reverses the order if it already does."""
        flip = key == self.sort and not self.descending
        return "?" + self._query(sort=key, dir=DESCENDING if flip else ASCENDING)

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    @property
    def page_query(self) -> str:
        """What a pagination link keeps of the address, before its own `page=`."""
        return self._query()

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())


def list_state(
    request: HttpRequest, sorts: Collection[str], default: str, filters: Mapping[str, str]
) -> ListState:
    """The sort from the address, one of `sorts`, with the filters already read and checked."""
    sort = request.GET.get("sort", "").strip() or default
    direction = request.GET.get("dir", "").strip() or ASCENDING
    if sort not in sorts:
        raise BadParameter("Sort the list by one of the columns with a link in its heading.")
    if direction not in (ASCENDING, DESCENDING):
        raise BadParameter("Sort the list in ascending or descending order.")
    return ListState(dict(filters), sort, direction == DESCENDING, default)
