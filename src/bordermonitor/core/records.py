"""The canonical report record: interchange format v1 (METHODOLOGY §2 and §5) as typed data.

Every import path and every form produces a :class:`ReportRecord` through :mod:`bordermonitor.core.validation`;
storage turns it into rows and back; ``export jsonl`` writes ``record.to_json()``. A record is canonical
when it has been through validation: unknown values are ``None`` (never 0 or ""), yes/no/unknown answers
are the strings ``"yes"``, ``"no"``, ``"unknown"``, codes are checked against the typology.

Keys beyond METHODOLOGY §5 (all optional, absent = unknown) are documented in ``docs/interchange.md``:
``incident.location.region``, ``incident.route``, ``incident.group.origin_regions`` and ``source.unparsed``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from bordermonitor.core.countries import is_country_code
from bordermonitor.core.dates import PartialDate, canonical_date
from bordermonitor.core.typology import CAUSE_OF_DEATH_CODES, VIOLENCE_CODES

__all__ = [
    "EVIDENCE_KINDS",
    "FORMAT",
    "INCIDENT_KINDS",
    "REPORT_KINDS",
    "STATUSES",
    "Consent",
    "EvidenceRef",
    "Group",
    "Incident",
    "Location",
    "Medical",
    "Narrative",
    "Officers",
    "Perpetrator",
    "PublicVersion",
    "ReportRecord",
    "Source",
    "Unparsed",
    "Violence",
    "quote",
]

FORMAT: Final = "bordermonitor/report@1"
REPORT_KINDS = ("testimony", "witness", "official", "media", "dataset")
INCIDENT_KINDS = ("pushback", "chain_pushback", "violence", "detention", "death", "disappearance", "other")
STATUSES = (
    "draft",
    "submitted",
    "in_review",
    "changes_requested",
    "verified",
    "approved_for_publication",
    "rejected",
)
EVIDENCE_KINDS = ("photo", "medical_report", "video", "audio", "document")

Tri = Literal["yes", "no", "unknown"]
ReportKind = Literal["testimony", "witness", "official", "media", "dataset"]
IncidentKind = Literal[
    "pushback", "chain_pushback", "violence", "detention", "death", "disappearance", "other"
]
Status = Literal[
    "draft", "submitted", "in_review", "changes_requested", "verified", "approved_for_publication", "rejected"
]
EvidenceKind = Literal["photo", "medical_report", "video", "audio", "document"]

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,119}$")  # room for "organisation:ref" in 200
_ORG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_LANG = re.compile(r"^(?=.{2,35}$)[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def quote(value: object, *, limit: int = 80) -> str:
    """A value as an error message quotes it: JSON (strings in quotes, numbers not), cut to ``limit``
    characters, so a message never carries a whole narrative (the full value is kept in ``source.unparsed``)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_show = quote


def _text(value: str | None) -> str | None:
    """Free text: surrounding whitespace removed; empty text is unknown, not "". Text no database can store
    (a NUL character, half of a broken emoji) is refused, so the validation layer keeps it for review."""
    if value is None:
        return None
    value = value.strip()
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("contains a character that is not text (NUL or half of a broken emoji)")
    return value or None


def _country(value: str | None) -> str | None:
    if value is None or is_country_code(value):
        return value
    code = value.strip().upper()
    if not is_country_code(code):
        raise ValueError(f"{_show(value)} is not an ISO 3166-1 alpha-2 country code")
    return code


MAX_COUNT = 2_000_000_000  # the largest count every database stores


def _not_a_flag(value: object) -> object:
    """Numbers are numbers: ``true`` is not 1."""
    if isinstance(value, bool):
        raise ValueError(f"{_show(value)} is not a number")
    return value


def _signed(value: int | None) -> int | None:
    if value is not None and abs(value) > MAX_COUNT:
        raise ValueError(f"{value} is too large for a count")
    return value


def _count(value: int | None) -> int | None:
    if value is not None and value < 0:
        raise ValueError(f"{value} is negative; a count is 0 or more, or unknown")
    return _signed(value)


def _cause(code: str) -> str:
    if code not in CAUSE_OF_DEATH_CODES:
        raise ValueError(f"{_show(code)} is not a cause-of-death code")
    return code


def _bounded(limit: int) -> AfterValidator:
    def check(value: str | None) -> str | None:
        if value is not None and len(value) > limit:
            raise ValueError(f"is longer than {limit} characters")
        return value

    return AfterValidator(check)


Text = Annotated[str | None, AfterValidator(_text)]
Name = Annotated[
    str | None, AfterValidator(_text), _bounded(100)
]  # a code or short name (stakeholder, source)
Country = Annotated[str | None, AfterValidator(_country)]
CountryCode = Annotated[str, AfterValidator(_country)]
Count = Annotated[int | None, BeforeValidator(_not_a_flag), AfterValidator(_count)]
SignedCount = Annotated[int | None, BeforeValidator(_not_a_flag), AfterValidator(_signed)]
Number = Annotated[float | None, BeforeValidator(_not_a_flag)]
CauseCode = Annotated[str, AfterValidator(_cause)]


class _Record(BaseModel):
    """Unknown keys are errors (the validation layer keeps them verbatim in ``source.unparsed``)."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


class Consent(_Record):
    publish: bool | None = None
    share_with_network: bool | None = None
    legal_use: bool | None = None


class Narrative(_Record):
    text: Text = None
    language: str | None = None
    translation_en: Text = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not _LANG.match(value):
            raise ValueError(f"{_show(value)} is not a language code such as 'ar', 'fa' or 'en'")
        return value


class Location(_Record):
    lat: Number = None
    lon: Number = None
    precision_m: Number = None
    place: Text = None
    country: Country = None
    region: Text = None

    @field_validator("lat")
    @classmethod
    def _lat(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and -90 <= value <= 90):
            raise ValueError(f"{_show(value)} is not a latitude")
        return value

    @field_validator("lon")
    @classmethod
    def _lon(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and -180 <= value <= 180):
            raise ValueError(f"{_show(value)} is not a longitude")
        return value

    @field_validator("precision_m")
    @classmethod
    def _precision(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{_show(value)} is not a precision in metres")
        return value


class Group(_Record):
    size: Count = None
    minors: Count = None
    women: Count = None
    men: Count = None
    minors_involved: Tri = "unknown"
    ages: Text = None
    nationalities: list[CountryCode] = Field(default_factory=list)
    origin_regions: list[str] = Field(default_factory=list)


class Officers(_Record):
    min: Count = None
    max: Count = None
    description: Text = None

    @model_validator(mode="after")
    def _range(self) -> Officers:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{self.min}-{self.max} is not a range (the minimum is above the maximum)")
        return self


class Perpetrator(_Record):
    authority: Name = None
    unit: Text = None
    description: Text = None


class Violence(_Record):
    type: str
    detail: Text = None

    @field_validator("type")
    @classmethod
    def _code(cls, value: str) -> str:
        if value not in VIOLENCE_CODES:
            raise ValueError(f"{_show(value)} is not a violence typology code")
        return value

    @model_validator(mode="after")
    def _other_needs_detail(self) -> Violence:
        if self.type == "other" and self.detail is None:
            raise ValueError("'other' needs a detail saying what happened")
        return self


class Medical(_Record):
    injuries: Tri = "unknown"
    documented: bool | None = None


class Incident(_Record):
    ref: str | None = None
    date: str | None = None
    time: str | None = None
    location: Location = Field(default_factory=Location)
    kind: IncidentKind | None = None
    expelled_by: list[CountryCode] = Field(default_factory=list)
    expelled_to: Country = None
    group: Group = Field(default_factory=Group)
    asylum_requested: Tri = "unknown"
    taken_to_police_station: Tri = "unknown"
    detention_hours: Number = None
    officers: Officers = Field(default_factory=Officers)
    perpetrators: list[Perpetrator] = Field(default_factory=list)
    violence: list[Violence] = Field(default_factory=list)
    dead: SignedCount = None  # signed: datasets such as IOM's correct an earlier count with a negative one
    missing: SignedCount = None
    survivors: Count = None
    causes_of_death: list[CauseCode] = Field(default_factory=list)
    medical: Medical = Field(default_factory=Medical)
    route: Text = None

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not _REF.match(value.strip()):
            raise ValueError(f"{_show(value)} is not a reference (letters, digits, '.', '-', '_', ':', '/')")
        return value.strip()

    @field_validator("date")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return canonical_date(value.strip())
        except ValueError as exc:
            raise ValueError(f"{_show(value)} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from exc

    @field_validator("time")
    @classmethod
    def _time(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not _TIME.match(value.strip()):
            raise ValueError(f"{_show(value)} is not a time (HH:MM)")
        return value.strip()

    @field_validator("detention_hours")
    @classmethod
    def _hours(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{_show(value)} is not a number of hours")
        return value

    @property
    def partial_date(self) -> PartialDate | None:
        return PartialDate.parse(self.date) if self.date else None


class EvidenceRef(_Record):
    path: str
    kind: EvidenceKind
    sha256: str
    description: Text = None

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        parts = value.replace("\\", "/").split("/")
        if not value or value.startswith("/") or ":" in parts[0] or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"{_show(value)} is not a relative path inside the export directory")
        return value

    @field_validator("sha256")
    @classmethod
    def _sha(cls, value: str) -> str:
        value = value.strip().lower()
        if not _SHA256.match(value):
            raise ValueError(f"{_show(value)} is not a SHA-256 digest (64 hexadecimal characters)")
        return value


class PublicVersion(_Record):
    """What may be published of the title and narrative (METHODOLOGY §7): redacted, then reviewed."""

    title: Text = None
    narrative: Text = None


class Unparsed(_Record):
    """A value the import could not interpret, kept verbatim with the reason, so nothing is lost."""

    field: str
    value: Any = None
    reason: str


class Source(_Record):
    name: Name = None
    url: Text = None
    quality: int | None = Field(default=None, ge=1, le=5)
    original: dict[str, Any] = Field(default_factory=dict)
    unparsed: list[Unparsed] = Field(default_factory=list)


class ReportRecord(_Record):
    format: Literal["bordermonitor/report@1"] = FORMAT
    ref: str
    organisation: str
    kind: ReportKind
    recorded_on: str | None = None
    status: Status = "submitted"
    consent: Consent = Field(default_factory=Consent)
    title: Text = None
    narrative: Narrative = Field(default_factory=Narrative)
    incident: Incident = Field(default_factory=Incident)
    evidence: list[EvidenceRef] = Field(default_factory=list)
    source: Source = Field(default_factory=Source)
    known_names: list[str] = Field(
        default_factory=list,
        description="Names the source gave (the person, companions, drivers, officers); never published.",
    )
    public: PublicVersion = Field(default_factory=PublicVersion)

    @field_validator("known_names")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        return [name.strip() for name in value if name and name.strip()]

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        if not _REF.match(value.strip()):
            raise ValueError(f"{_show(value)} is not a reference (letters, digits, '.', '-', '_', ':', '/')")
        return value.strip()

    @field_validator("organisation")
    @classmethod
    def _organisation(cls, value: str) -> str:
        value = value.strip().lower()
        if not _ORG.match(value):
            raise ValueError(
                f"{_show(value)} is not an organisation code (lower-case letters, digits, '-', '_')"
            )
        return value

    @field_validator("recorded_on")
    @classmethod
    def _recorded_on(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            day = canonical_date(value.strip())
        except ValueError as exc:
            raise ValueError(f"{_show(value)} is not a date (YYYY-MM-DD)") from exc
        if len(day) != 10:
            raise ValueError(f"{_show(value)} is not a full date (YYYY-MM-DD)")
        return day

    @property
    def flagged(self) -> bool:
        """True when something in the source could not be interpreted and a reviewer should look."""
        return bool(self.source.unparsed)

    def to_json(self) -> str:
        """One line of interchange format v1; every key present, unknown as null."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
