"""Where releases live and how one is switched on: ``out`` is a symbolic link to ``<out>.releases/<version>``,
replaced in one ``rename(2)`` when a new release is complete; the :data:`KEEP` newest releases are kept."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "KEEP",
    "Release",
    "check_out",
    "current_release",
    "new_version",
    "prune",
    "releases_root",
    "switch",
]

KEEP = 5


@dataclass(frozen=True, slots=True)
class Release:
    directory: Path
    version: str
    published_at: str
    counts: dict[str, int]
    withheld: dict[str, int]


def new_version(root: Path) -> str:
    """A UTC timestamp; a second release within the same second gets ``-02``, ``-03``… (names sort in time order)."""
    base = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    taken = [p.name.lstrip(".").split(".")[0] for p in root.iterdir() if p.name.lstrip(".").startswith(base)]
    if not taken:
        return base
    last = max(int(name[len(base) + 1 :] or 1) for name in taken)
    return f"{base}-{last + 1:02d}"


def releases_root(out: Path) -> Path:
    return out.parent / f"{out.name}.releases"


def check_out(out: Path) -> None:
    if out.is_symlink() or not out.exists():
        return
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
        return
    raise ValueError(
        f"{out} exists and is not a release link made by 'bordermonitor publish'; choose another --out or move it"
    )


def switch(out: Path, target: Path) -> None:
    link = out.parent / f".{out.name}.{os.getpid()}.link"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(os.path.relpath(target, out.parent))
    os.replace(link, out)


def prune(root: Path, *, keep: Path) -> None:
    done = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    for old in done[KEEP:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_release(out: Path) -> Release | None:
    """The release ``out`` serves now, or None."""
    try:
        meta = json.loads((Path(out) / "release.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Release(
        Path(out).resolve(), meta["version"], meta["published_at"], meta["counts"], meta["withheld"]
    )
