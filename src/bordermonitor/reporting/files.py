"""Generated report files kept under ``<data dir>/reports/``, for the staff site to list and serve.

A file's name says what it is (``monthly-2019-05-en-network-20240601T120000Z.pdf``): the kind, the period, the
language, the organisation (or ``network``), when it was made, and the format. Only names of that shape are
listed or served, and a name is never a path: nothing outside the directory can be asked for.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bordermonitor.reporting.build import MEDIA_TYPES, ReportRequest

__all__ = ["GeneratedFile", "NoSuchReport", "find", "listing", "reports_dir", "save"]

NAME = re.compile(
    r"(?P<kind>monthly|annual)-(?P<period>\d{4}(?:-\d{2})?)-(?P<language>en|fr|ar|fa)-"
    r"(?P<scope>[a-z0-9][a-z0-9_-]{0,39})-(?P<made>\d{8}T\d{6}Z)(?:-(?P<copy>[1-9]\d{0,3}))?\.(?P<format>pdf|html|json)"
)
_STAMP = "%Y%m%dT%H%M%SZ"
NETWORK = "network"


class NoSuchReport(LookupError):
    """No generated report has that name."""


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    name: str
    kind: str
    period: str
    language: str
    scope: str  # an organisation code, or "network"
    made_at: dt.datetime
    format: str
    size: int

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def organisation(self) -> str | None:
        return None if self.scope == NETWORK else self.scope


def reports_dir(data_dir: Path) -> Path:
    return data_dir / "reports"


def _parse(path: Path) -> GeneratedFile | None:
    match = NAME.fullmatch(path.name)
    if match is None or not path.is_file() or path.is_symlink():
        return None
    made = dt.datetime.strptime(match["made"], _STAMP).replace(tzinfo=dt.UTC)
    return GeneratedFile(
        name=path.name,
        kind=match["kind"],
        period=match["period"],
        language=match["language"],
        scope=match["scope"],
        made_at=made,
        format=match["format"],
        size=path.stat().st_size,
    )


def save(directory: Path, request: ReportRequest, content: bytes, *, made_at: dt.datetime) -> GeneratedFile:
    """Write ``content`` as a new file of ``directory`` named after ``request``; never replaces a file."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = "-".join(
        (
            request.period.kind,
            request.period.token,
            request.language,
            request.organisation or NETWORK,
            made_at.astimezone(dt.UTC).strftime(_STAMP),
        )
    )
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        for copy in range(1, 1000):
            name = f"{stem}.{request.format}" if copy == 1 else f"{stem}-{copy}.{request.format}"
            try:
                os.link(temporary, directory / name)  # fails if the name is taken: nothing is replaced
            except FileExistsError:
                continue
            break
        else:
            raise FileExistsError(f"{stem}: too many reports made in the same second")
    finally:
        os.unlink(temporary)
    made = _parse(directory / name)
    if made is None:  # the name is ours: it always parses
        raise ValueError(f"{name} is not the name of a generated report")
    return made


def listing(directory: Path) -> list[GeneratedFile]:
    """The generated reports in ``directory``, newest first."""
    if not directory.is_dir():
        return []
    found = [made for path in directory.iterdir() if (made := _parse(path)) is not None]
    return sorted(found, key=lambda item: (item.made_at, item.name), reverse=True)


def find(directory: Path, name: str) -> tuple[GeneratedFile, Path]:
    """The generated report called ``name`` and its path; :class:`NoSuchReport` for any other name."""
    if NAME.fullmatch(name) is None:
        raise NoSuchReport(name)
    path = directory / name
    made = _parse(path)
    if made is None:
        raise NoSuchReport(name)
    return made, path
