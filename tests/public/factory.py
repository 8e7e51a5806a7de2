"""Releases for the public site's tests, written with the publisher's own ``write_archive``.

Rows are random but drawn from small vocabularies (so filters hit), with every kind of unknown (no date, a
month or a year only, no place, no nationality, minors unknown) and a few places on both sides of the 180th
meridian. Titles and narratives are made of plain lower-case words, so a test can tell which incidents a word
should find without FTS5.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bordermonitor.core.typology import violence_types
from bordermonitor.publish.archive import write_archive
from bordermonitor.publish.schema import INCIDENTS

WORDS = (
    "police",
    "forest",
    "river",
    "dogs",
    "beaten",
    "phones",
    "border",
    "night",
    "van",
    "camp",
    "rain",
    "boat",
)
STATES = ("HR", "SI", "IT", "AT", "HU", "RS", "BA", "GR")
NATIONALITIES = ("AF", "SY", "PK", "MA", "DZ", "IQ", "IR", "BD")
CODES = tuple(t.code for t in violence_types())[:10]
KINDS = ("pushback", "chain_pushback", "violence", "detention", "death", "other")
JPEG = b"\xff\xd8\xff\xe0" + b"public test image" * 8
PDF = b"%PDF-1.4\n% public test document\n"


def _date(rng: random.Random) -> str | None:
    year = rng.randint(2019, 2023)
    shape = rng.random()
    if shape < 0.1:
        return None
    if shape < 0.2:
        return str(year)
    if shape < 0.4:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _place(rng: random.Random) -> tuple[float | None, float | None]:
    shape = rng.random()
    if shape < 0.15:
        return None, None
    if shape < 0.2:
        return round(rng.uniform(-18, -16), 4), rng.choice((179.5, -179.5, 178.25))
    return round(rng.uniform(40.0, 47.5), 4), round(rng.uniform(12.0, 24.0), 4)


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7)))


def incident_rows(count: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` incident rows in date order (unknown dates first), every column of the schema present."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        date = _date(rng)
        lat, lon = _place(rng)
        size = rng.choice((None, 1, 2, 3, 5, 8, 12, 20))
        minors = None if size is None or rng.random() < 0.3 else rng.randint(0, min(size, 4))
        chain = rng.sample(STATES, rng.choice((0, 1, 1, 2, 3)))
        row: dict[str, Any] = {column.name: None for column in INCIDENTS.columns}
        row.update(
            id=f"BMX-{n:05d}",
            title=_sentence(rng) if rng.random() < 0.9 else None,
            narrative=". ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
            if rng.random() < 0.8
            else None,
            narrative_language="en",
            date=date,
            date_precision=None if date is None else {10: "day", 7: "month", 4: "year"}[len(date)],
            month=date[:7] if date and len(date) >= 7 else None,
            year=int(date[:4]) if date else None,
            country=rng.choice((*STATES[:5], None)),
            place=rng.choice(("Velika Kladuša", "Bihać", "Trieste", None)),
            lat=lat,
            lon=lon,
            location_precision_m=None if lat is None else 1000,
            kind=rng.choice((*KINDS, None)),
            expelled_by=chain or None,
            expelled_to=rng.choice(("BA", "RS", None)) if chain else None,
            chain_pushback=len(chain) > 1 if chain else None,
            group_size=size,
            minors=minors,
            minors_involved=None if minors is None else minors > 0,
            nationalities=rng.sample(NATIONALITIES, rng.choice((0, 1, 1, 2))) or None,
            violence=rng.sample(CODES, rng.choice((0, 1, 2, 3))) or None,
            perpetrators=rng.choice((["border police"], ["police", "army"], None)),
            sources=rng.randint(1, 3),
            source_kinds=["testimony"],
            evidence=0,
            licence="CC-BY-4.0",
            attribution="IOM's Missing Migrants Project" if rng.random() < 0.2 else "bordermonitor network",
        )
        rows.append(row)
    rows.sort(key=lambda r: (r["date"] is not None, r["date"] or ""))
    return rows


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_release(
    directory: Path,
    rows: Sequence[dict[str, Any]],
    *,
    version: str = "20261121T101500Z",
    evidence_for: str | None = None,
) -> Path:
    """A release directory as the publisher writes one; evidence files (a photo and a PDF) for one incident."""
    directory.mkdir(parents=True)
    (directory / "evidence").mkdir()
    evidence_rows = []
    if evidence_for is not None:
        for kind, data, ext, media in (
            ("photo", JPEG, "jpg", "image/jpeg"),
            ("document", PDF, "pdf", "application/pdf"),
        ):
            digest = _sha(data)
            (directory / "evidence" / f"{digest}.{ext}").write_bytes(data)
            evidence_rows.append(
                {
                    "incident_id": evidence_for,
                    "kind": kind,
                    "file": f"evidence/{digest}.{ext}",
                    "media_type": media,
                    "size": len(data),
                    "sha256": digest,
                }
            )
        for row in rows:
            if row["id"] == evidence_for:
                row["evidence"] = len(evidence_rows)
    aggregates = [
        {"dimension": "expelled_by", "month": "2021-03", "value": "HR", "incidents": 12, "suppressed": False},
        {
            "dimension": "expelled_by",
            "month": "2021-03",
            "value": "SI",
            "incidents": None,
            "suppressed": True,
        },
        {"dimension": "expelled_by", "month": "2021-04", "value": "HR", "incidents": 7, "suppressed": False},
        {"dimension": "expelled_by", "month": "*", "value": "HR", "incidents": 19, "suppressed": False},
        {"dimension": "violence", "month": "2021-03", "value": CODES[0], "incidents": 9, "suppressed": False},
    ]
    violence = [
        {"incident_id": r["id"], "code": c, "group": "physical", "severity": 3, "label": c}
        for r in rows
        for c in r["violence"] or ()
    ]
    write_archive(
        directory / "archive.sqlite",
        tables={"incidents": rows, "violence": violence, "evidence": evidence_rows, "aggregates": aggregates},
        metadata={"version": version},
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "date"])
    writer.writerows([r["id"], r["date"] or ""] for r in rows)
    (directory / "incidents.csv").write_text(buffer.getvalue(), "utf-8")
    (directory / "RELEASE.md").write_text(f"# Release {version}\n", "utf-8")
    (directory / "LICENCE-CC-BY-4.0.txt").write_text("Creative Commons Attribution 4.0\n", "utf-8")
    files = {
        name: {"sha256": _sha((directory / name).read_bytes()), "bytes": (directory / name).stat().st_size}
        for name in ("incidents.csv", "archive.sqlite", "RELEASE.md", "LICENCE-CC-BY-4.0.txt")
    }
    for item in evidence_rows:
        files[item["file"]] = {"sha256": item["sha256"], "bytes": item["size"]}
    manifest = {
        "format": "1",
        "version": version,
        "published_at": "2026-11-21T10:15:00Z",
        "title": "bordermonitor open data",
        "counts": {"incidents": len(rows), "reports": len(rows) + 3, "evidence": len(evidence_rows)},
        "policy": ["Nothing is published without consent.", "Places are coarsened to about 1 km."],
        "withheld": {
            "approved reports without the source's consent to publish": 4,
            "narratives not yet reviewed for publication": 2,
        },
        "files": files,
        "licences": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "LICENCE-CC-BY-4.0.txt",
            }
        ],
    }
    (directory / "release.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    return directory


def point_link(link: Path, target: Path) -> None:
    """Switch the link ``link`` to ``target`` atomically, as the publisher does."""
    temporary = link.with_name(link.name + ".new")
    if temporary.is_symlink():
        temporary.unlink()
    temporary.symlink_to(target, target_is_directory=True)
    temporary.replace(link)
