"""The words of the public pages for coded values, in the reader's language.

Kinds and field names reuse the staff site's messages (same text, so one translation serves both);
typology labels come from the typology data (:mod:`bordermonitor.core.typology`, four languages) and
country names from CLDR (:func:`bordermonitor.core.countries.country_name`).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.countries import country_name
from bordermonitor.core.typology import cause_of_death, violence_type
from bordermonitor.public.filters import Problem
from bordermonitor.words import EVIDENCE_KINDS, REPORT_KINDS
from bordermonitor.words import INCIDENT_KINDS as KINDS

SOURCE_KINDS = REPORT_KINDS

__all__ = [
    "EVIDENCE_KINDS",
    "FIELDS",
    "KINDS",
    "cause_label",
    "country",
    "problem_text",
    "value_label",
    "violence_label",
]


FIELDS: dict[str, Promise] = {
    "q": _("Search words"),
    "date_from": _("Incident from"),
    "date_to": _("Incident to"),
    "expelled_by": _("Expelled by"),
    "violence": _("Violence"),
    "nationality": _("Nationality"),
    "minors_involved": _("Minors involved"),
    "kind": _("Kind of incident"),
    "country": _("Country"),
    "year": _("Year"),
    "bbox": _("Map area"),
}

_REASONS: dict[str, Promise] = {
    "country": _("this is not a country code. Countries in this release:"),
    "violence": _("this is not a code of the violence typology. Codes:"),
    "kind": _("this is not a kind of incident. Kinds:"),
    "boolean": _("choose yes or no."),
    "date": _("give a date as YYYY-MM or YYYY-MM-DD."),
    "date_order": _("the end of the range is before its start."),
    "too_long": _("the search text is too long."),
    "no_words": _("the search text has no word to look for."),
    "bbox": _("the map area is not valid."),
    "repeated": _("give one value only."),
}


def _language() -> str:
    return get_language() or "en"


def country(code: str | None) -> str:
    return "" if not code else country_name(code, _language())


def violence_label(code: str) -> str:
    try:
        return violence_type(code).label(_language())
    except KeyError:
        return code


def cause_label(code: str) -> str:
    try:
        return cause_of_death(code).label(_language())
    except KeyError:
        return code


def value_label(field: str, value: str | None) -> str:
    """How a facet value reads: a country's name, a typology label, a kind, yes/no, or "Unknown"."""
    if value is None:
        return str(_("Unknown"))
    if field in ("expelled_by", "nationality", "country"):
        return country(value)
    if field == "violence":
        return violence_label(value)
    if field == "kind":
        return str(KINDS.get(value, value))
    if field == "minors_involved":
        return str(_("Yes") if value == "true" else _("No"))
    return value


def problem_text(problem: Problem) -> tuple[str, str, list[str]]:
    """(field, what is wrong, accepted values) of a filter problem, in the reader's language."""
    field = str(FIELDS.get(problem.path, problem.path))
    reason = str(_REASONS.get(problem.reason, _("this value is not accepted.")))
    valid = [value_label(problem.path, v) for v in problem.valid or ()] if problem.reason != "boolean" else []
    return field, reason, valid
