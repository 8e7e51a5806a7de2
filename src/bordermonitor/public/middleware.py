"""HTTP behaviour of the public site that is the same for every view.

- :class:`SecurityHeadersMiddleware`: a strict Content-Security-Policy (the pages load scripts, styles and
  data from this site only; images also from the tile server when one is configured) and a
  Permissions-Policy that turns off what the site never uses.
- :class:`PublicApiMiddleware`, for ``/api/public/``: read-only (405 for anything but GET, HEAD and the
  CORS preflight), readable from any origin, rate-limited per client address (429 with Retry-After), and
  cacheable: the ETag is derived from the release version and the request's query, so a client that sends
  it back gets 304 without the index being consulted.
- :class:`TextGZipMiddleware`: compresses pages, JSON, styles and scripts, never the release's downloads
  (their size and SHA-256 are published, so they are sent exactly as stored).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware

from bordermonitor.public.current import current_release
from bordermonitor.public.errors import json_error
from bordermonitor.public.ratelimit import TokenBuckets

__all__ = ["API_PREFIX", "PublicApiMiddleware", "SecurityHeadersMiddleware", "TextGZipMiddleware"]

API_PREFIX = "/api/public/"
CACHE_CONTROL = "public, max-age=300"
_COMPRESSIBLE = ("text/html", "application/json", "text/css", "text/javascript", "application/javascript")
_PREFLIGHT_HEADERS = "Accept, Accept-Language, Content-Language, If-None-Match, Cache-Control"
Handler = Callable[[HttpRequest], HttpResponseBase]


def _policy(*, tile_origin: str | None, inline_styles: bool = False) -> str:
    images = "'self' data:" + (f" {tile_origin}" if tile_origin else "")
    styles = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            f"style-src {styles}",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        tile_origin = settings.BORDERMONITOR_TILE_ORIGIN
        self.pages = _policy(tile_origin=tile_origin)
        # Swagger UI sets style attributes in its markup; its page has nothing else a style could leak.
        self.docs = _policy(tile_origin=None, inline_styles=True)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path.startswith(API_PREFIX) and request.path.endswith("/docs")
            response["Content-Security-Policy"] = self.docs if docs else self.pages
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        return response


def _client(request: HttpRequest) -> str:
    """The client address as the server saw it (waitress rewrites it from a trusted proxy's header)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def etag_for(version: str, request: HttpRequest) -> str:
    query = request.META.get("QUERY_STRING", "")
    digest = hashlib.sha256(f"{version}\n{request.path}\n{query}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


class PublicApiMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.buckets = TokenBuckets(settings.BORDERMONITOR_PUBLIC.rate_limit)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self._answer(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        return response

    def _answer(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "OPTIONS":
            preflight = HttpResponse(status=204)
            preflight["Allow"] = preflight["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            preflight["Access-Control-Allow-Headers"] = _PREFLIGHT_HEADERS
            preflight["Access-Control-Max-Age"] = "86400"
            return preflight
        if request.method not in ("GET", "HEAD"):
            refused = json_error(405, "method_not_allowed", "the public API is read-only: use GET")
            refused["Allow"] = "GET, HEAD, OPTIONS"
            return refused
        wait = self.buckets.take(_client(request))
        if wait:
            seconds = TokenBuckets.retry_after(wait)
            limited = json_error(429, "rate_limited", f"too many requests: try again in {seconds} s")
            limited["Retry-After"] = seconds
            limited["Cache-Control"] = "no-store"
            return limited
        release = current_release()
        request.public_release = release  # type: ignore[attr-defined]  # the views answer from this one
        etag = None if release is None else etag_for(release.version, request)
        if etag is not None and _matches(request.headers.get("If-None-Match"), etag):
            unchanged = HttpResponseNotModified()
            unchanged["ETag"] = etag
            unchanged["Cache-Control"] = CACHE_CONTROL
            return unchanged
        if request.method == "HEAD":
            request.method = "GET"  # the WSGI server sends no body for HEAD
        response = self.get_response(request)
        if response.status_code == 200:
            if etag is not None:
                response["ETag"] = etag
            response["Cache-Control"] = CACHE_CONTROL
        elif "Cache-Control" not in response:
            response["Cache-Control"] = "no-store" if response.status_code in (429, 503) else "no-cache"
        return response


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        kind = response.get("Content-Type", "").split(";")[0].strip()
        if request.path.startswith("/files/") or not (kind in _COMPRESSIBLE or kind.endswith("json")):
            return response
        return super().process_response(request, response)
