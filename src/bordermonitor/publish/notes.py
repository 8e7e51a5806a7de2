"""``RELEASE.md``: what a release holds, in words a journalist or a court clerk can read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["release_notes"]

_FILES = {
    "datapackage.json": "Frictionless Data Package: every table described, with licences",
    "incidents.csv": "one row per published incident",
    "incidents.geojson": "the incidents that have coordinates, as GeoJSON points",
    "violence.csv": "incident × typology code",
    "evidence.csv": "published evidence: metadata-stripped public copies",
    "aggregates.csv": "monthly counts by expelling state, typology code and nationality",
    "archive.sqlite": "all of the above in one SQLite database with full-text search (opens in Datasette)",
    "release.json": "this file's content for programs",
}


def release_notes(meta: Mapping[str, Any]) -> str:
    counts: Mapping[str, int] = meta["counts"]
    lines = [
        f"# {meta['title']} — release {meta['version']}",
        "",
        f"Published {meta['published_at']} (release format {meta['format']}).",
        "",
        "Only reports whose source consented to publication, that a reviewer approved for publication, and whose "
        "organisation shares with the network are published. Several reports of one incident make one incident.",
        "",
        "## Contents",
        "",
        *(
            f"- {name}: {counts.get(name, 0):,}"
            for name in ("incidents", "reports", "with narrative", "with coordinates", "evidence")
        ),
        "",
        "## Publication policy",
        "",
        *(f"- {sentence}" for sentence in meta["policy"]),
        "- Suppressed aggregate cells: "
        + ", ".join(
            f"{d} {counts.get(f'suppressed {d} cells', 0)}"
            for d in ("expelled_by", "violence", "nationality")
        )
        + ".",
        "",
        "## Withheld (counts only)",
        "",
        *(f"- {reason}: {count:,}" for reason, count in meta["withheld"].items()),
        "",
        "## Licences",
        "",
        *(
            f'- {item["name"]}: attribution "{item["attribution"]}" (each row of incidents.csv names its own)'
            for item in meta["licences"]
        ),
        "",
        "## Files and their SHA-256",
        "",
        "| file | bytes | SHA-256 | what |",
        "|---|---:|---|---|",
        *(
            f"| {name} | {info['bytes']:,} | `{info['sha256']}` | {_FILES.get(name, 'published evidence file' if name.startswith('evidence/') else '')} |"
            for name, info in meta["files"].items()
        ),
        "",
        "RELEASE.md itself is listed with its SHA-256 in release.json.",
        "",
    ]
    return "\n".join(lines)
