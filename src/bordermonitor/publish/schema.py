"""The open-data release's tables: one description drives the CSV headers, the SQLite tables and the Frictionless
Data Package, so the three cannot drift apart.

A release directory holds::

    datapackage.json     Frictionless Data Package (tabular resources below, plus the GeoJSON as a file)
    incidents.csv        one row per published incident
    incidents.geojson    one Point feature per incident that has coordinates (properties: the incident row)
    violence.csv         incident × typology code
    aggregates.csv       monthly counts by expelling state, typology code and nationality (disclosure-controlled)
    evidence.csv         published evidence (public copies only) and evidence/<sha256>.<ext>
    archive.sqlite       the same tables, with indexes and full-text search (``incidents_fts``)
    RELEASE.md           contents, counts, policy, what was withheld (counts only), SHA-256 of every file
    release.json         machine-readable counterpart of RELEASE.md (version, counts, policy, files)

Lists inside a CSV cell are joined with ``|`` in their order (``expelled_by``: first apprehending state first).
Unknown is an empty cell in CSV and NULL in SQLite — never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["FORMAT_VERSION", "LIST_SEPARATOR", "RESOURCES", "Column", "Resource", "resource"]

FORMAT_VERSION = "1"
LIST_SEPARATOR = "|"

FieldType = Literal["string", "integer", "number", "boolean", "list"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: FieldType  # "list": a ``|``-joined string in CSV, TEXT in SQLite, a JSON array in the API
    description: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class Resource:
    name: str
    path: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_key: tuple[str, str] | None = None  # (column, "incidents.id")


def _c(name: str, type_: FieldType, description: str, *, required: bool = False) -> Column:
    return Column(name, type_, description, required)


INCIDENTS = Resource(
    name="incidents",
    path="incidents.csv",
    title="Incidents",
    description="One row per published incident, anonymised under the publication policy described in RELEASE.md.",
    primary_key=("id",),
    columns=(
        _c(
            "id",
            "string",
            "Stable public identifier of the incident (not the internal reference).",
            required=True,
        ),
        _c("title", "string", "Public title, as reviewed."),
        _c("narrative", "string", "Public narrative, reviewed and redacted; empty when none was approved."),
        _c("narrative_language", "string", "Language of the narrative (BCP 47)."),
        _c("date", "string", "Date, coarsened by policy: YYYY-MM-DD, YYYY-MM or YYYY."),
        _c("date_precision", "string", "day, month or year: the precision of `date`."),
        _c("month", "string", "YYYY-MM when the month is known."),
        _c("year", "integer", "Year when known."),
        _c("country", "string", "Country where it happened (ISO 3166-1 alpha-2)."),
        _c("region", "string", "Region within the country, when the source gave one."),
        _c("place", "string", "Place name (withheld for small groups, see RELEASE.md)."),
        _c("lat", "number", "Latitude, coarsened by policy (WGS84)."),
        _c("lon", "number", "Longitude, coarsened by policy (WGS84)."),
        _c(
            "location_precision_m",
            "integer",
            "How far the place the source gave may be from lat/lon, in metres (the grid cell, plus the source's "
            "own precision when it stated one).",
        ),
        _c("kind", "string", "pushback, chain_pushback, violence, detention, death, disappearance or other."),
        _c(
            "expelled_by", "list", "States that expelled the group, in order, first apprehending state first."
        ),
        _c("expelled_to", "string", "State where the group was left (ISO 3166-1 alpha-2)."),
        _c("chain_pushback", "boolean", "Expelled by more than one state in a row."),
        _c("group_size", "integer", "People in the group."),
        _c("minors", "integer", "Minors in the group (withheld for small groups)."),
        _c("women", "integer", "Women in the group (withheld for small groups)."),
        _c("men", "integer", "Men in the group (withheld for small groups)."),
        _c("minors_involved", "boolean", "Whether minors were involved."),
        _c(
            "age_bands",
            "list",
            "Age bands of the people in the group (0-4, 5-11, 12-17, 18-24, …); withheld for small groups.",
        ),
        _c("nationalities", "list", "Nationalities in the group (ISO 3166-1 alpha-2)."),
        _c("violence", "list", "Typology codes of the violence reported (see violence.csv)."),
        _c("perpetrators", "list", "Authorities named as perpetrators."),
        _c("asylum_requested", "boolean", "Intention to seek asylum expressed to the authorities."),
        _c("taken_to_police_station", "boolean", "Taken to a police station."),
        _c("detention_hours", "number", "Hours held."),
        _c("officers_min", "integer", "Officers present (lower bound)."),
        _c("officers_max", "integer", "Officers present (upper bound)."),
        _c("dead", "integer", "Dead."),
        _c("missing", "integer", "Missing."),
        _c("survivors", "integer", "Survivors."),
        _c("causes_of_death", "list", "Causes of death (codes of the Missing Migrants Project)."),
        _c("medical_injuries", "boolean", "Injuries described."),
        _c("medical_documented", "boolean", "Medical documentation exists."),
        _c("sources", "integer", "Published reports that describe this incident.", required=True),
        _c("source_kinds", "list", "Kinds of those reports (testimony, witness, official, media, dataset)."),
        _c("evidence", "integer", "Published evidence files.", required=True),
        _c("licence", "string", "Licence of this row (SPDX identifier).", required=True),
        _c("attribution", "string", "Attribution the licence requires.", required=True),
    ),
)

VIOLENCE = Resource(
    name="violence",
    path="violence.csv",
    title="Violence",
    description="The violence reported in each incident, one row per incident and typology code.",
    primary_key=("incident_id", "code"),
    foreign_key=("incident_id", "incidents.id"),
    columns=(
        _c("incident_id", "string", "The incident (incidents.id).", required=True),
        _c("code", "string", "Typology code (violence typology version 1).", required=True),
        _c("group", "string", "Typology group."),
        _c("severity", "integer", "Severity of the code, 1 to 5.", required=True),
        _c("label", "string", "English label of the code.", required=True),
    ),
)

EVIDENCE = Resource(
    name="evidence",
    path="evidence.csv",
    title="Published evidence",
    description="Public copies of evidence a reviewer selected: metadata stripped, hashes of the public copy only.",
    primary_key=("incident_id", "sha256"),
    foreign_key=("incident_id", "incidents.id"),
    columns=(
        _c("incident_id", "string", "The incident (incidents.id).", required=True),
        _c("kind", "string", "photo, medical_report, video, audio or document.", required=True),
        _c("file", "string", "Path of the file within the release.", required=True),
        _c("media_type", "string", "Media type of the public copy.", required=True),
        _c("size", "integer", "Bytes.", required=True),
        _c("sha256", "string", "SHA-256 of the public copy.", required=True),
    ),
)

AGGREGATES = Resource(
    name="aggregates",
    path="aggregates.csv",
    title="Monthly aggregates",
    description=(
        "Incidents per month by expelling state, typology code and nationality. Rows with value `*` are the "
        "month's total over the values of that dimension, rows with month `*` the total over months. Cells below "
        "the threshold are suppressed, and further cells with them, so that no total reveals a suppressed cell."
    ),
    primary_key=("dimension", "month", "value"),
    columns=(
        _c("dimension", "string", "expelled_by, violence or nationality.", required=True),
        _c("month", "string", "YYYY-MM, or * for the total over months.", required=True),
        _c(
            "value",
            "string",
            "State, typology code or nationality; * for the total over values.",
            required=True,
        ),
        _c("incidents", "integer", "Count; empty when suppressed. Totals count incident-value pairs."),
        _c("suppressed", "boolean", "The count is withheld (disclosure control).", required=True),
    ),
)

RESOURCES: tuple[Resource, ...] = (INCIDENTS, VIOLENCE, EVIDENCE, AGGREGATES)


def resource(name: str) -> Resource:
    for item in RESOURCES:
        if item.name == name:
            return item
    raise KeyError(name)
