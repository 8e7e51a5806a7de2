"""The public API's one error shape, the private API's: ``{"error": {"code", "message", "fields": [{"path",
"message", "valid"?}]}}``.

``valid`` lists the values a parameter accepts when it takes one of a list (typology codes, kinds, the
countries of this release), so a client can correct a request without reading the documentation. The
middleware answers 405, 429 and 503 in the same shape.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from bordermonitor.public.filters import FilterError, Problem

__all__ = ["ApiError", "body", "install", "json_error"]

log = logging.getLogger(__name__)
_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


class ApiError(Exception):
    """Raised by an operation to answer with an error body."""

    def __init__(self, status: int, code: str, message: str, problems: Iterable[Problem] = ()) -> None:
        self.status, self.code, self.message, self.problems = status, code, message, list(problems)
        super().__init__(message)


def body(code: str, message: str, problems: Iterable[Problem] = ()) -> dict[str, Any]:
    fields: list[dict[str, Any]] = []
    for problem in problems:
        field: dict[str, Any] = {"path": problem.path, "message": problem.message}
        if problem.valid is not None:
            field["valid"] = list(problem.valid)
        fields.append(field)
    return {"error": {"code": code, "message": message, "fields": fields}}


def json_error(status: int, code: str, message: str, problems: Iterable[Problem] = ()) -> HttpResponse:
    """An error response built outside django-ninja (by the middleware)."""
    return HttpResponse(
        json.dumps(body(code, message, problems)), status=status, content_type="application/json"
    )


def _path(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts.pop(0)
    return ".".join(parts) or "(request)"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind in ("literal_error", "enum"):
        return f"is not one of {context.get('expected', '')}"
    return str(error.get("msg", "is not valid")).removeprefix("Value error, ")


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``: every failure, a server error included, answers in the one shape."""

    def answer(request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, payload, status=status)

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return answer(request, exc.status, body(exc.code, exc.message, exc.problems))

    @api.exception_handler(FilterError)
    def _filters(request: HttpRequest, exc: FilterError) -> HttpResponse:
        return answer(
            request, 400, body("validation", "the request's parameters are not valid", exc.problems)
        )

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = [Problem(_path(e.get("loc", ())), _message(e)) for e in exc.errors]
        return answer(request, 400, body("validation", "the request's parameters are not valid", problems))

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "validation", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "refused"
        )
        return answer(request, exc.status_code, body(code, exc.message))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, body("not_found", "not found"))

    @api.exception_handler(Exception)
    def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("public API error on %s", request.path)
        return answer(request, 500, body("server_error", "the server failed to answer; try again later"))
