"""Choice lists of the intake form in the person's language: countries, languages, typology, months."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.countries import USER_ASSIGNED, country_name, is_country_code
from bordermonitor.core.typology import causes_of_death, violence_type, violence_types
from bordermonitor.words import INCIDENT_KINDS

__all__ = [
    "INCIDENT_KIND_LABELS",
    "REPORT_KIND_LABELS",
    "TRI",
    "cause_choices",
    "country_choices",
    "language_choices",
    "month_choices",
    "violence_groups",
]

TRI = (("unknown", _("Unknown")), ("yes", _("Yes")), ("no", _("No")))

REPORT_KIND_LABELS = {
    "testimony": _("Testimony (first-hand interview)"),
    "witness": _("Witness (someone who saw it)"),
    "official": _("Official records"),
    "media": _("Media"),
    "dataset": _("Row of an external dataset"),
}
INCIDENT_KIND_LABELS = INCIDENT_KINDS
GROUP_LABELS = {
    "physical": _("Physical violence"),
    "threat": _("Threats"),
    "degrading": _("Degrading treatment"),
    "sexual": _("Sexual violence"),
    "transport": _("Transport"),
    "property": _("Belongings and documents"),
    "detention": _("Detention"),
    "procedure": _("Procedure"),
    "lethal": _("Deaths and disappearances"),
    None: _("Other"),
}

# Languages testimonies are commonly given in along the routes; any other code already on a record is added.
NARRATIVE_LANGUAGES = (
    "ar", "fa", "ps", "ur", "ku", "ckb", "bn", "pa", "ti", "so", "am", "tr", "en", "fr", "de", "es",
    "it", "ru", "uk", "hr", "bs", "sr", "sl", "el", "hi", "ta", "wo", "ha", "ln", "sw",
)  # fmt: skip


def _primary(language: str) -> str:
    return language.replace("-", "_").split("_")[0] or "en"


@cache
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every ISO 3166-1 alpha-2 code (and XK) with its name in ``language``, sorted by that name."""
    codes = {c.alpha_2 for c in pycountry.countries if is_country_code(c.alpha_2)} | set(USER_ASSIGNED)
    named = [(code, country_name(code, language)) for code in codes]
    return tuple(sorted(named, key=lambda pair: pair[1].casefold()))


@cache
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(_primary(language))
    except (UnknownLocaleError, ValueError):
        return None


def language_name(code: str, language: str) -> str:
    names = _locale(language)
    english = _locale("en")
    found = (names.languages.get(code) if names else None) or (
        english.languages.get(code) if english else None
    )
    return found or code


def language_choices(language: str, current: str | None = None) -> list[tuple[str, str]]:
    codes = list(NARRATIVE_LANGUAGES)
    if current and current not in codes:
        codes.append(current)
    named = sorted(((code, language_name(code, language)) for code in codes), key=lambda p: p[1].casefold())
    return [("", str(_("Unknown"))), *named]


def month_choices(language: str) -> list[tuple[str, str]]:
    names = _locale(language) or _locale("en")
    months = names.months["stand-alone"]["wide"] if names else {}
    return [("", str(_("Month unknown")))] + [(str(n), f"{n:02d} · {months.get(n, n)}") for n in range(1, 13)]


def violence_groups(language: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The typology in METHODOLOGY §3 order, grouped: (group label, [(code, label, meaning)])."""
    groups: dict[str | None, list[tuple[str, str, str]]] = {}
    primary = _primary(language)
    for entry in violence_types():
        meaning = entry.meaning.get(primary, entry.meaning["en"])
        groups.setdefault(entry.group, []).append((entry.code, entry.label(language), meaning))
    return [(str(GROUP_LABELS.get(group, group)), items) for group, items in groups.items()]


def cause_choices(language: str) -> list[tuple[str, str]]:
    return [(cause.code, cause.label(language)) for cause in causes_of_death()]


def violence_label(code: str, language: str) -> str:
    try:
        return violence_type(code).label(language)
    except KeyError:
        return code
