"""Where a reader finds the text of each licence the release's data carries.

``release.json`` names each licence by its SPDX identifier with the attribution it requires; an entry may
give a ``path``: a file of the release holding the licence text, or its address on the web. Without one, the
licences the network publishes under are linked to their publishers' pages (the same addresses the
publisher writes into ``datapackage.json``); any other identifier is shown as it is, without a link. Nothing
is fetched from those sites: they are plain links.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.urls import reverse

__all__ = ["LICENCES", "licence_parts", "release_licences"]

LICENCES: Mapping[str, tuple[str, str]] = {
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


def _url(name: str, path: object, files: Collection[str]) -> str | None:
    if isinstance(path, str) and path.startswith("https://"):
        return path
    if isinstance(path, str) and path in files:
        return str(reverse("file", kwargs={"name": path}))
    known = LICENCES.get(name)
    return known[1] if known else None


def release_licences(entries: list[Mapping[str, Any]], *, files: Collection[str]) -> list[dict[str, Any]]:
    """The licences of ``release.json`` with a title and a link to their text where one is known."""
    out = []
    for entry in entries:
        name = str(entry.get("name") or "")
        known = LICENCES.get(name)
        out.append(
            {
                "name": name,
                "title": entry.get("title") or (known[0] if known else None),
                "attribution": entry.get("attribution"),
                "url": _url(name, entry.get("path"), files),
            }
        )
    return out


def licence_parts(expression: str | None) -> list[dict[str, str | None]]:
    """The licences of an incident's ``licence`` column ("CC-BY-4.0 AND ODbL-1.0"), each with its link."""
    names = [part.strip() for part in (expression or "").split(" AND ") if part.strip()]
    return [{"name": name, "url": LICENCES[name][1] if name in LICENCES else None} for name in names]
