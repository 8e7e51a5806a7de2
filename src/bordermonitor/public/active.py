"""The filters in force, named in the reader's language, each with a link that removes it.

The filter form folds away above the map and the results, so without these a filtered page looks like the
whole archive. Each chip is a plain link (the page's query without that filter), so it works without
JavaScript and can be opened in a new tab. A year chosen in the search page's facets is one chip ("Year:
2021"), not two dates. A value a person typed (search words) or that reads in another script is wrapped in
Unicode isolates, so "Search words: شرطة" keeps its order on a left-to-right page and the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from bordermonitor.public.filters import Filters
from bordermonitor.public.labels import FIELDS, value_label

__all__ = ["Chip", "active_filters"]

_ISOLATE = "\u2068{}\u2069"  # FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE
_YEAR = re.compile(r"^(\d{4})-01$")
_ORDER = ("q", "expelled_by", "violence", "nationality", "country", "kind", "minors_involved")


@dataclass(frozen=True, slots=True)
class Chip:
    """One filter in force: what it is, in words, and the link that drops it."""

    name: str  # the query parameter (``year`` for a year chosen as a date range)
    label: str
    remove_url: str


def _link(params: Mapping[str, str]) -> str:
    return "?" + urlencode(params) if params else "?"


def _label(field: str, value: str | None) -> str:
    if value is None:
        return str(FIELDS[field])
    return str(_("%(field)s: %(value)s") % {"field": FIELDS[field], "value": _ISOLATE.format(value)})


def _year(filters: Filters) -> str | None:
    """The year when the date range is exactly one calendar year (as the year facet sets it)."""
    found = _YEAR.match(filters.date_from or "")
    return found.group(1) if found and filters.date_to == f"{found.group(1)}-12" else None


def active_filters(
    filters: Filters, *, keep: Mapping[str, str] | None = None, with_bbox: bool = True
) -> list[Chip]:
    """A chip per filter in force, in the form's order. Removal links keep the other filters and ``keep``
    (e.g. the sort order) and go back to the first page. ``with_bbox``: whether the page applies the map
    area (the map page draws its own)."""
    extra = dict(keep or {})

    def without(*names: str) -> str:
        params = filters.params(**dict.fromkeys(names))
        if not with_bbox:
            params.pop("bbox", None)
        return _link({**params, **extra})

    chips: list[Chip] = []
    for name in _ORDER:
        value = getattr(filters, name)
        if value is None:
            continue
        if name == "minors_involved":
            shown = value_label(name, "true" if value else "false")
        elif name == "q":
            shown = f"“{value}”"
        else:
            shown = value_label(name, str(value))
        chips.append(Chip(name, _label(name, shown), without(name)))
    year = _year(filters)
    if year is not None:
        chips.append(Chip("year", _label("year", year), without("date_from", "date_to")))
    else:
        for name in ("date_from", "date_to"):
            value = getattr(filters, name)
            if value is not None:
                chips.append(Chip(name, _label(name, value), without(name)))
    if with_bbox and filters.bbox is not None:
        chips.append(Chip("bbox", _label("bbox", None), without("bbox")))
    return chips
