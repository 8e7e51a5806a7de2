"""The words of the cross-checking pages, translatable: the compared fields, each agreement level in plain words
(with the measured difference when there is one), the decisions and the conflicts' fields."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.linkage import FIELDS

__all__ = [
    "CONFLICT_FIELDS",
    "DECISIONS",
    "FIELD_LABELS",
    "PRIOR_CLASSES",
    "STATUS_FILTERS",
    "count",
    "level_text",
    "percent",
    "signed",
]

FIELD_LABELS: dict[str, Promise] = {
    "date": _("Date"),
    "time": _("Time"),
    "place": _("Place"),
    "expelled_by": _("Expelled by"),
    "expelled_to": _("Expelled to"),
    "group_size": _("Group size"),
    "minors": _("Minors"),
    "women": _("Women"),
    "nationalities": _("Nationalities"),
    "violence": _("Violence"),
    "perpetrators": _("Perpetrators"),
    "officers": _("Officers: description"),
    "narrative": _("Narrative"),
}
if set(FIELD_LABELS) != set(FIELDS):
    raise ImportError("every field compared by core.linkage needs a translatable label here")

#: The fields ``storage.linkage.incident_conflicts`` may list.
CONFLICT_FIELDS: dict[str, Promise] = {
    "date": _("Date"),
    "time": _("Time"),
    "place": _("Place"),
    "kind": _("Kind of incident"),
    "country": _("Country"),
    "expelled_by": _("Expelled by"),
    "expelled_to": _("Expelled to"),
    "group_size": _("Group size"),
    "minors": _("Minors"),
    "women": _("Women"),
    "men": _("Men"),
    "minors_involved": _("Minors involved"),
    "nationalities": _("Nationalities"),
    "violence": _("Violence"),
    "perpetrators": _("Perpetrators"),
    "dead": _("Dead"),
    "missing": _("Missing"),
}

DECISIONS: dict[str, Promise] = {
    "proposed": _("Waiting for a decision"),
    "same_incident": _("Same incident"),
    "related": _("Related but different"),
    "not_related": _("Not related"),
}

#: The status filter of the queue: each choice and the pair statuses it shows.
STATUS_FILTERS: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "proposed": (_("Waiting for a decision"), ("proposed",)),
    "decided": (_("Decided"), ("same_incident", "related", "not_related")),
    "same_incident": (_("Same incident"), ("same_incident",)),
    "related": (_("Related but different"), ("related",)),
    "not_related": (_("Not related"), ("not_related",)),
}

#: How the pair was compared, which sets the odds it starts from (``core.linkage_model``).
PRIOR_CLASSES: dict[str, Promise] = {
    "dated_and_placed": _("both reports have a date and a place"),
    "no_date": _("a report has no date"),
    "no_place": _("a report has no place"),
    "no_date_no_place": _("a report has no date and a report has no place"),
}

_FIXED: dict[tuple[str, str], Promise] = {
    ("date", "same_day"): _("same day"),
    ("date", "same_month"): _("same month (a date gives only the month)"),
    ("date", "same_year"): _("same year (a date gives only the year)"),
    ("time", "within_30_min"): _("within 30 minutes"),
    ("time", "within_2_hours"): _("within 2 hours"),
    ("time", "within_6_hours"): _("within 6 hours"),
    ("time", "far"): _("more than 6 hours apart"),
    ("place", "same_area"): _("same border area"),
    ("place", "same_country"): _("same country"),
    ("place", "other_country"): _("different countries"),
    ("expelled_by", "same_chain"): _("the same states in the same order"),
    ("expelled_by", "overlap"): _("some states in common"),
    ("expelled_by", "disjoint"): _("no state in common"),
    ("expelled_to", "same"): _("the same country"),
    ("expelled_to", "different"): _("different countries"),
    ("group_size", "same"): _("the same size"),
    ("minors", "both_yes"): _("minors in both"),
    ("minors", "both_no"): _("no minors in either"),
    ("minors", "differ"): _("one tells of minors, the other not"),
    ("women", "both_yes"): _("women in both"),
    ("women", "both_no"): _("no women in either"),
    ("women", "differ"): _("one tells of women, the other not"),
    ("nationalities", "same"): _("the same nationalities"),
    ("nationalities", "overlap"): _("some nationalities in common"),
    ("nationalities", "disjoint"): _("no nationality in common"),
    ("violence", "same"): _("the same types of violence"),
    ("violence", "most"): _("most types of violence in common"),
    ("violence", "some"): _("some types of violence in common"),
    ("violence", "disjoint"): _("no type of violence in common"),
    ("perpetrators", "same"): _("the same authorities"),
    ("perpetrators", "overlap"): _("some authorities in common"),
    ("perpetrators", "disjoint"): _("no authority in common"),
    ("officers", "same"): _("the same words"),
    ("officers", "similar"): _("half of the words or more in common"),
    ("officers", "different"): _("few words in common"),
    ("narrative", "very_similar"): _("very similar"),
    ("narrative", "similar"): _("similar"),
    ("narrative", "somewhat"): _("somewhat similar"),
    ("narrative", "different"): _("different"),
}


def _number(value: float, digits: int) -> str:
    return number_format(round(value, digits), digits)


def signed(weight: float) -> str:
    """A weight with its sign: "+3.2", "−0.8" (a true minus sign), "0" when it weighs nothing."""
    if round(weight, 1) == 0:
        return "0"
    return ("+" if weight > 0 else "\u2212") + _number(abs(weight), 1)


def count(value: float) -> str:
    """A pair's neighbour count (a geometric mean) as a whole number in the reader's language."""
    return number_format(max(1, round(value)), 0, force_grouping=True)


def percent(score: float) -> str:
    """A score (a probability) as a percentage in the reader's language: whole, but with a decimal near 0 and
    100 so that a score short of certain never reads 100% (nor a small one 0%)."""
    value = score * 100
    digits = 0 if 1 <= value <= 99 else 1
    shown = min(max(round(value, digits), 0.1 if value > 0 else 0), 99.9 if value < 100 else 100)
    return gettext("%(percent)s%%") % {"percent": number_format(shown, digits)}


def level_text(field: str, level: str, measure: float | None, a: object = None, b: object = None) -> str:
    """An agreement level in words, with the measured difference when the level has one."""
    if level == "unknown":
        if field == "narrative":
            return gettext("not compared: a narrative is missing or they are in different languages")
        return gettext("not compared: unknown in at least one report")
    if field == "date" and level not in ("same_day", "same_month", "same_year") and measure is not None:
        days = round(measure)
        return ngettext("%(n)s day apart", "%(n)s days apart", days) % {"n": days}
    if field == "time" and measure is not None:
        minutes = round(measure)
        return ngettext("%(n)s minute apart", "%(n)s minutes apart", minutes) % {"n": minutes}
    if field == "place" and measure is not None:
        return gettext("%(km)s km apart") % {"km": _number(measure, 1)}
    if field == "group_size" and level != "same" and isinstance(a, int) and isinstance(b, int):
        return gettext("%(a)s vs %(b)s") % {"a": a, "b": b}
    if field == "narrative" and measure is not None:
        return gettext("%(level)s (similarity %(measure)s)") % {
            "level": _FIXED[(field, level)],
            "measure": _number(measure, 2),
        }
    fixed = _FIXED.get((field, level))
    return str(fixed) if fixed is not None else level
