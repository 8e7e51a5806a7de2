"""``release.json`` as the public site expects it, checked when a release is loaded.

The publisher writes it (``bordermonitor.publish``); the site serves it unchanged at
``/api/public/v1/release``. Checking it at load means a release with a malformed manifest is refused (and the
previous one kept) instead of failing on every request. Keys the site does not know are kept and served.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FilePublic", "LicencePublic", "ReleasePublic"]


class FilePublic(BaseModel):
    model_config = ConfigDict(extra="allow")

    sha256: str = Field(description="SHA-256 of the file, hexadecimal.")
    bytes: int = Field(description="Size in bytes.")


class LicencePublic(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(description="SPDX identifier, e.g. CC-BY-4.0.")
    title: str | None = None
    path: str | None = Field(default=None, description="The licence text within the release, if shipped.")


class ReleasePublic(BaseModel):
    """The release's machine-readable description (``release.json``)."""

    model_config = ConfigDict(extra="allow")

    format: str = Field(description="Release format version.")
    version: str = Field(description="Release version: the UTC time of publication, e.g. 20261121T101500Z.")
    published_at: str | None = Field(default=None, description="ISO 8601 time of publication.")
    title: str | None = None
    counts: dict[str, int] = Field(default_factory=dict, description="Rows of each kind in the release.")
    policy: list[str] = Field(default_factory=list, description="The publication policy, one sentence each.")
    withheld: dict[str, int] = Field(
        default_factory=dict, description="Incidents withheld from this release, by reason (counts only)."
    )
    files: dict[str, FilePublic] = Field(default_factory=dict, description="Each file of the release.")
    licences: list[LicencePublic] = Field(default_factory=list)

    def as_served(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
