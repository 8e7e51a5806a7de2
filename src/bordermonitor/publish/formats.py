"""Writing the release's CSV files, its GeoJSON and its Frictionless Data Package descriptor."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from bordermonitor.publish.schema import FORMAT_VERSION, LIST_SEPARATOR, RESOURCES, Column, Resource

__all__ = ["CsvWriter", "datapackage", "file_digest", "geojson_feature"]

_FRICTIONLESS_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "list": "string",
}
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}


def _cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.type == "list":
        return LIST_SEPARATOR.join(str(v) for v in value)
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "number":
        return repr(float(value))
    return str(value)


class CsvWriter:
    """A resource's CSV file, written row by row (UTF-8, header first, RFC 4180 quoting)."""

    def __init__(self, directory: Path, item: Resource) -> None:
        self.item = item
        self.handle: IO[str] = (directory / item.path).open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\r\n")
        self.writer.writerow([c.name for c in item.columns])
        self.rows = 0

    def write(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writer.writerow([_cell(c, row.get(c.name)) for c in self.item.columns])
            self.rows += 1

    def close(self) -> None:
        self.handle.close()


def geojson_feature(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """A Point feature for an incident row with coordinates (properties: the row without lat/lon)."""
    if row.get("lat") is None or row.get("lon") is None:
        return None
    properties = {k: v for k, v in row.items() if k not in ("lat", "lon")}
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        "properties": properties,
    }


def file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _schema(item: Resource) -> dict[str, Any]:
    fields = []
    for column in item.columns:
        spec: dict[str, Any] = {
            "name": column.name,
            "type": _FRICTIONLESS_TYPES[column.type],
            "description": column.description,
        }
        if column.type == "boolean":
            spec["trueValues"], spec["falseValues"] = ["true"], ["false"]
        if column.required:
            spec["constraints"] = {"required": True}
        fields.append(spec)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": list(item.primary_key)}
    if item.foreign_key:
        column, target = item.foreign_key
        resource, key = target.split(".")
        schema["foreignKeys"] = [{"fields": [column], "reference": {"resource": resource, "fields": [key]}}]
    return schema


def _licence(spdx: str) -> dict[str, str]:
    title, url = LICENCES.get(spdx, (spdx, ""))
    return {"name": spdx, "title": title, **({"path": url} if url else {})}


def datapackage(
    directory: Path,
    *,
    version: str,
    created: str,
    title: str,
    licences: Sequence[tuple[str, str]],
    digests: Mapping[str, tuple[str, int]],
) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor (Frictionless Data Package v1, tabular) of the files in ``directory``.

    ``licences`` are ``(spdx, attribution)`` pairs of the licences the rows carry (each row names its own)."""
    resources: list[dict[str, Any]] = []
    for item in RESOURCES:
        sha, size = digests[item.path]
        resources.append(
            {
                "name": item.name,
                "path": item.path,
                "title": item.title,
                "description": item.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{sha}",
                "bytes": size,
                "schema": _schema(item),
            }
        )
    sha, size = digests["incidents.geojson"]
    resources.append(
        {
            "name": "incidents-map",
            "path": "incidents.geojson",
            "title": "Incidents (GeoJSON)",
            "description": "One Point feature per published incident that has coordinates; properties as incidents.csv.",
            "format": "geojson",
            "mediatype": "application/geo+json",
            "hash": f"sha256:{sha}",
            "bytes": size,
        }
    )
    return {
        "profile": "data-package",
        "name": "bordermonitor-open-archive",
        "title": title,
        "version": version,
        "created": created,
        "description": (
            "Anonymised incidents of violence against people on the move at borders, published with the consent of "
            "the people who testified and after review. See RELEASE.md for the publication policy and what was withheld. "
            f"Release format {FORMAT_VERSION}. The same tables are in archive.sqlite, with full-text search."
        ),
        "licenses": [_licence(spdx) for spdx, _ in licences],
        "sources": [{"title": attribution} for _, attribution in licences],
        "keywords": ["pushbacks", "border violence", "human rights", "migration"],
        "resources": resources,
    }


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
