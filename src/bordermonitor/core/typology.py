"""The violence typology (METHODOLOGY §3) and causes of death (§4), read from ``bordermonitor/typology/``.

The vocabularies are versioned data files; this module gives typed, read-only access to them. Codes are
stable identifiers; labels are translated (en, fr, ar, fa); legacy aliases map BVMN labels to codes.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = [
    "CAUSE_OF_DEATH_CODES",
    "LANGUAGES",
    "VIOLENCE_CODES",
    "CauseOfDeath",
    "ViolenceType",
    "cause_of_death",
    "cause_of_death_for_label",
    "causes_of_death",
    "label_key",
    "violence_code_for_legacy_label",
    "violence_type",
    "violence_types",
]

LANGUAGES = ("en", "fr", "ar", "fa")


def _pick(labels: MappingProxyType[str, str], language: str) -> str:
    """The label for the primary subtag of ``language`` (case-insensitive, ``-`` or ``_``), else English."""
    primary = language.replace("_", "-").split("-")[0].casefold()
    return labels.get(primary, labels["en"])


@dataclass(frozen=True, slots=True)
class ViolenceType:
    code: str
    group: str | None
    severity: int
    labels: MappingProxyType[str, str]
    meaning: MappingProxyType[str, str]
    legacy_aliases: tuple[str, ...]

    def label(self, language: str = "en") -> str:
        """The label in ``language`` (a tag such as ``fa``, ``fa-IR`` or ``fa_IR``), else the English one."""
        return _pick(self.labels, language)


@dataclass(frozen=True, slots=True)
class CauseOfDeath:
    code: str
    labels: MappingProxyType[str, str]
    mmp_labels: tuple[str, ...]

    def label(self, language: str = "en") -> str:
        """The label in ``language`` (a tag such as ``fa``, ``fa-IR`` or ``fa_IR``), else the English one."""
        return _pick(self.labels, language)


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("bordermonitor.typology").joinpath(name).read_text(encoding="utf-8")
    )
    return data


@cache
def violence_types() -> tuple[ViolenceType, ...]:
    """Typology v1, in the order of METHODOLOGY §3."""
    return tuple(
        ViolenceType(
            code=item["code"],
            group=item.get("group"),
            severity=int(item["severity"]),
            labels=MappingProxyType(dict(item["labels"])),
            meaning=MappingProxyType(dict(item["meaning"])),
            legacy_aliases=tuple(item.get("legacy_aliases", ())),
        )
        for item in _load("violence-v1.json")["codes"]
    )


@cache
def causes_of_death() -> tuple[CauseOfDeath, ...]:
    return tuple(
        CauseOfDeath(
            code=item["code"],
            labels=MappingProxyType(dict(item["labels"])),
            mmp_labels=tuple(item.get("mmp_labels", ())),
        )
        for item in _load("causes-of-death.json")["codes"]
    )


VIOLENCE_CODES: frozenset[str] = frozenset(t.code for t in violence_types())
CAUSE_OF_DEATH_CODES: frozenset[str] = frozenset(c.code for c in causes_of_death())
_BY_CODE = {t.code: t for t in violence_types()}


def label_key(label: str) -> str:
    """A label as exports mangle it, made comparable: HTML entities decoded (``one&#039;s``), typographic
    quotes made plain (``one’s``), spaces around ``/`` and repeated spaces removed, trailing punctuation
    dropped, case folded."""
    text = html.unescape(label).translate(_PLAIN_QUOTES)
    text = _SLASH.sub("/", " ".join(text.split()))
    return text.rstrip(" .,;:").casefold()


_PLAIN_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_SLASH = re.compile(r"\s*/\s*")
_BY_ALIAS = {label_key(alias): t.code for t in violence_types() for alias in t.legacy_aliases}
_CAUSES = {c.code: c for c in causes_of_death()}
_CAUSE_BY_LABEL = {label.casefold(): c.code for c in causes_of_death() for label in (c.code, *c.mmp_labels)}


def violence_type(code: str) -> ViolenceType:
    """The typology entry for ``code``; ``KeyError`` names the unknown code."""
    return _BY_CODE[code]


def violence_code_for_legacy_label(label: str) -> str | None:
    """The code a BVMN legacy label maps to (the §3 label, compared by :func:`label_key`), or None."""
    return _BY_ALIAS.get(label_key(label))


def cause_of_death(code: str) -> CauseOfDeath:
    return _CAUSES[code]


def cause_of_death_for_label(label: str) -> str | None:
    """The code for an MMP "Cause of Death" label or a code itself (case-insensitive), or None."""
    return _CAUSE_BY_LABEL.get(" ".join(label.split()).casefold())
