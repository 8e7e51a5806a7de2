"""A report laid out for reading, in the reader's language: METHODOLOGY §2 in sections of label → value.

Built from the interchange shape (``record_of``) or from what ``core.pseudonymise`` returns — the same code
for both, and a key the dict does not hold produces no row: the analyst's page can only show what the
pseudonymised copy contains. A key that is present with no value reads "unknown" (unknown stays unknown).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.countries import country_name
from bordermonitor.core.dates import PartialDate
from bordermonitor.core.diff import Change
from bordermonitor.core.typology import CAUSE_OF_DEATH_CODES, VIOLENCE_CODES, cause_of_death, violence_type
from bordermonitor.web.reports import labels

__all__ = ["Row", "Section", "change_rows", "sections", "show", "show_date", "stored_date"]

_ABSENT = object()


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    value: str | None  # None: unknown
    items: list[str] = field(default_factory=list)  # a list shown as a list (violence, perpetrators)
    long: bool = False  # free text shown as paragraphs
    lang: str | None = None  # the language the value is written in, when known
    erased: bool = False  # no value because an erasure destroyed it (not unknown)


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    rows: list[Row]


def _get(record: Mapping[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _ABSENT
        value = value[part]
    return value


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def _language_name(code: str, language: str) -> str:
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(_locale(language))
    except (UnknownLocaleError, ValueError, TypeError):
        name = None
    return f"{name} ({code})" if name else code


def show_date(text: str, language: str) -> str:
    """A date with its precision, in the reader's language: never a day that was not told."""
    try:
        date = PartialDate.parse(text)
    except ValueError:
        return text
    locale = _locale(language)
    if date.precision == "day":
        return format_date(date.start, format="long", locale=locale)
    if date.precision == "month":
        shown = format_skeleton("yMMMM", dt.date(date.year, date.month or 1, 1), locale=locale)
        return gettext("%(date)s (day unknown)") % {"date": shown}
    return gettext("%(year)s (month and day unknown)") % {"year": date.year}


def stored_date(start: dt.date | None, precision: str | None, language: str) -> str | None:
    """A stored report's date (first day and precision) as :func:`show_date` shows it."""
    if start is None:
        return None
    text = start.isoformat()
    return show_date(
        text[:4] if precision == "year" else text[:7] if precision == "month" else text, language
    )


def _country(code: str, language: str) -> str:
    return f"{country_name(code, language)} ({code})"


def _yes_no(value: Any) -> str | None:
    if value in (True, "yes"):
        return gettext("yes")
    if value in (False, "no"):
        return gettext("no")
    return None


def _violence(item: Mapping[str, Any], language: str) -> str:
    code = item.get("type")
    label = violence_type(code).label(language) if code in VIOLENCE_CODES else str(code)
    detail = item.get("detail")
    return f"{label}: {detail}" if detail else label


def _perpetrator(item: Mapping[str, Any]) -> str:
    parts = [str(item[key]) for key in ("authority", "unit", "description") if item.get(key)]
    return " — ".join(parts) or gettext("not identified")


def show(path: str, value: Any, language: str) -> str | None:
    """One value of ``path`` as text for the reader; None when it is unknown."""
    if value is None or value == [] or value == {}:
        return None
    leaf = path.rsplit(".", 1)[-1]
    if path in ("status",):
        return str(labels.STATUSES.get(value, value))
    if path == "kind":
        return str(labels.REPORT_KINDS.get(value, value))
    if path == "incident.kind":
        return str(labels.INCIDENT_KINDS.get(value, value))
    if path == "incident.date":
        return show_date(str(value), language)
    if path == "recorded_on":
        return format_date(dt.date.fromisoformat(value), format="long", locale=_locale(language))
    if path in ("incident.expelled_by",):
        arrow = " ← " if get_language_bidi() else " → "
        return arrow.join(_country(code, language) for code in value)
    if leaf in ("country", "expelled_to"):
        return _country(str(value), language)
    if leaf == "nationalities":
        return ", ".join(_country(code, language) for code in value)
    if leaf == "causes_of_death":
        return ", ".join(
            cause_of_death(code).label(language) if code in CAUSE_OF_DEATH_CODES else code for code in value
        )
    if leaf == "violence":
        return "; ".join(_violence(item, language) for item in value)
    if leaf == "perpetrators":
        return "; ".join(_perpetrator(item) for item in value)
    if leaf == "evidence":
        return "; ".join(str(labels.EVIDENCE_KINDS.get(e.get("kind"), e.get("kind"))) for e in value)
    if isinstance(value, bool) or value in ("yes", "no", "unknown"):
        return _yes_no(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_rows(changes: list[Change], language: str) -> list[tuple[str, str, str]]:
    """Changes as (label, before, after) for the reader; unknown reads "unknown"."""
    unknown = gettext("unknown")
    return [
        (
            labels.field_label(change.path),
            show(change.path, change.before, language) or unknown,
            show(change.path, change.after, language) or unknown,
        )
        for change in changes
    ]


_SECTIONS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "report",
        _("Report"),
        (
            "pseudonym",
            "ref",
            "organisation",
            "kind",
            "recorded_on",
            "recorded_month",
            "status",
            "incident.ref",
        ),
    ),
    ("title", _("Title"), ("title",)),
    (
        "when_where",
        _("When and where"),
        (
            "incident.date",
            "incident.time",
            "incident.kind",
            "incident.location.place",
            "incident.location.country",
            "incident.location.region",
            "incident.location.lat",
            "incident.location.lon",
            "incident.location.precision_m",
            "incident.route",
            "incident.expelled_by",
            "incident.expelled_to",
        ),
    ),
    (
        "group",
        _("The group"),
        (
            "incident.group.size",
            "incident.group.minors",
            "incident.group.women",
            "incident.group.men",
            "incident.group.minors_involved",
            "incident.group.ages",
            "incident.group.nationalities",
            "incident.group.origin_regions",
        ),
    ),
    (
        "authorities",
        _("Authorities"),
        (
            "incident.asylum_requested",
            "incident.taken_to_police_station",
            "incident.detention_hours",
            "incident.officers.min",
            "incident.officers.max",
            "incident.officers.description",
            "incident.perpetrators",
        ),
    ),
    ("violence", _("Violence"), ("incident.violence",)),
    (
        "deaths",
        _("Deaths and disappearances"),
        ("incident.dead", "incident.missing", "incident.survivors", "incident.causes_of_death"),
    ),
    ("medical", _("Medical"), ("incident.medical.injuries", "incident.medical.documented")),
    (
        "narrative",
        _("Narrative"),
        ("narrative.language", "narrative_language", "narrative.text", "narrative.translation_en"),
    ),
    ("consent", _("Consent"), ("consent.publish", "consent.share_with_network", "consent.legal_use")),
    ("source", _("Source"), ("source.name", "source.url", "source.quality", "evidence")),
)
_LISTS = frozenset({"incident.violence", "incident.perpetrators"})
_LONG = frozenset({"narrative.text", "narrative.translation_en", "title", "incident.officers.description"})


def _row(record: Mapping[str, Any], path: str, language: str) -> Row | None:
    value = _get(record, path)
    if value is _ABSENT:
        return None
    label = labels.field_label(path)
    if path in _LISTS:
        render = _violence if path == "incident.violence" else lambda item, _lang: _perpetrator(item)
        items = [render(item, language) for item in value or [] if isinstance(item, Mapping)]
        return Row(label, None if not items else "", items=items)
    if path in ("narrative.language", "narrative_language") and value:
        return Row(label, _language_name(str(value), language))
    if path == "evidence" and not value:
        return Row(label, gettext("none attached"))
    if path == "incident.expelled_by" and value:
        destination = _get(record, "incident.expelled_to")
        chain = [*value, *([destination] if isinstance(destination, str) and destination else [])]
        return Row(str(labels.CHAIN), show(path, chain, language))
    lang = None
    if path == "narrative.text":
        lang = _get(record, "narrative.language") or None
    elif path == "narrative.translation_en":
        lang = "en"
    return Row(label, show(path, value, language), long=path in _LONG, lang=lang)


def sections(
    record: Mapping[str, Any], language: str, *, erased: Collection[str] = frozenset()
) -> list[Section]:
    """The record's sections with the rows its dict holds; sections with no row are left out. Rows of
    ``erased`` paths that hold no value read "erased" (an erasure destroyed them), not "unknown"."""
    out = []
    for key, title, paths in _SECTIONS:
        rows = [
            replace(row, erased=True) if path in erased and row.value is None and not row.items else row
            for path in paths
            if (row := _row(record, path, language)) is not None
        ]
        if rows:
            out.append(Section(key, str(title), rows))
    return out
