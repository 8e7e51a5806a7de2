"""The release's files, served as published: the downloads (listed in ``release.json``) and the evidence
files (listed in the evidence table). A name that neither lists is not found, so no other file of the
server can be reached through this view, whatever the path says.

Evidence files are named by their SHA-256 and never change: they may be cached for a year. Every file is
sent with a Content-Security-Policy that runs nothing (``sandbox``), so a published document opened in the
browser cannot act as a page of this site.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified

from bordermonitor.public.current import current_release
from bordermonitor.public.views import unavailable

__all__ = ["release_file"]

_EVIDENCE = re.compile(r"^evidence/[0-9a-f]{64}(\.[A-Za-z0-9]{1,10})?$")  # the extension only when known
_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".geojson": "application/geo+json",
    ".json": "application/json",
    ".sqlite": "application/vnd.sqlite3",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_INLINE = (
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "application/json",
    "text/markdown",
    "text/plain",
)


def release_file(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    release = current_release()
    if release is None:
        return unavailable(request)
    if _EVIDENCE.match(name):
        row = release.evidence_file(name)
        if row is None:
            raise Http404("not a published evidence file")
        content_type, digest, lifetime = str(row["media_type"]), str(row["sha256"]), "31536000, immutable"
    else:
        listed = release.manifest.get("files", {})
        licences = {item.get("path") for item in release.manifest.get("licences", [])}
        if name != "release.json" and name not in listed and name not in licences:
            raise Http404("not a file of this release")
        info = listed.get(name) or {}
        digest = str(info.get("sha256") or f"{release.version}-{name}")
        content_type = (
            _TYPES.get(Path(name).suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        lifetime = "300"
    path = (release.directory / name).resolve()
    if not path.is_relative_to(release.directory) or not path.is_file():
        raise Http404("the file is missing from the release")
    etag = f'"{digest}"'
    if etag in [
        tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")
    ]:
        response: HttpResponse | FileResponse = HttpResponseNotModified()
    else:
        inline = content_type.split(";")[0] in _INLINE
        response = FileResponse(
            path.open("rb"), content_type=content_type, as_attachment=not inline, filename=path.name
        )
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={lifetime}"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Access-Control-Allow-Origin"] = "*"
    return response
