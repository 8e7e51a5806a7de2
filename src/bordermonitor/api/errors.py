"""One error shape for every failure: ``{"error": {"code", "message", "fields": [{"path", "message"}]}}``.

The handlers below replace django-ninja's own (``{"detail": …}``), so a client parses one shape whether the
request was malformed, unauthorised, refused by the workflow or in conflict with another edit. Messages name
fields and quote at most what the caller sent; a report another organisation owns is ``not_found``, exactly
like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from bordermonitor.core.validation import Issue, RecordRejected
from bordermonitor.core.workflow import TransitionRefused
from bordermonitor.storage.access import NotVisible
from bordermonitor.storage.editing import EditConflict, NotAllowed

__all__ = ["ApiError", "install"]

_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


class ApiError(Exception):
    """Raised by operations to answer with an error body."""

    def __init__(self, status: int, code: str, message: str, fields: Iterable[tuple[str, str]] = ()) -> None:
        self.status, self.code, self.message, self.fields = status, code, message, list(fields)
        super().__init__(message)


def body(code: str, message: str, fields: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "fields": [{"path": path, "message": text} for path, text in fields],
        }
    }


def _path(loc: Sequence[Any], *, body_params: frozenset[str]) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] in body_params:
            parts.pop(0)  # the body parameter's own name is not part of the document
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(body)"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    if kind == "extra_forbidden":
        return "is not a field of this request"
    if kind == "missing":
        return "is required"
    if kind == "json_invalid":
        return "the body is not valid JSON"
    if kind in ("literal_error", "enum"):
        return f"is not one of {context.get('expected', '')}"
    return str(error.get("msg", "is not valid")).removeprefix("Value error, ")


def validation_fields(errors: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (_path(error.get("loc", ()), body_params=frozenset({"payload", "body"})), _message(error))
        for error in errors
    ]


def issue_fields(issues: Iterable[Issue]) -> list[tuple[str, str]]:
    return [(issue.field, issue.message) for issue in issues]


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``."""

    def answer(request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, payload, status=status)

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return answer(request, exc.status, body(exc.code, exc.message, exc.fields))

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = validation_fields(exc.errors)
        return answer(request, 422, body("validation", "the request is not valid", fields))

    @api.exception_handler(RecordRejected)
    def _rejected(request: HttpRequest, exc: RecordRejected) -> HttpResponse:
        fields = issue_fields(exc.issues)
        return answer(request, 422, body("validation", "the report is not valid", fields))

    @api.exception_handler(AuthenticationError)
    def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else "sign in or send a token"
        response = answer(request, 401, body("unauthorised", message))
        response["WWW-Authenticate"] = 'Bearer realm="bordermonitor"'
        return response

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "validation",
            401: "unauthorised",
            403: "forbidden",
            404: "not_found",
            409: "conflict",
            422: "validation",
        }.get(exc.status_code, "refused")
        return answer(request, exc.status_code, body(code, exc.message))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, body("not_found", "not found"))

    @api.exception_handler(NotVisible)
    def _not_visible(request: HttpRequest, exc: NotVisible) -> HttpResponse:
        return answer(request, 404, body("not_found", "not found"))

    @api.exception_handler(NotAllowed)
    def _not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
        return answer(request, 403, body("forbidden", str(exc)))

    @api.exception_handler(EditConflict)
    def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
        message = (
            f"the report was changed by someone else since version {exc.expected} (now version "
            f"{exc.report.version}); read it again, then make your change"
        )
        fields = [(change.path, "changed since your version") for change in exc.changes]
        response = answer(request, 409, body("conflict", message, fields))
        response["ETag"] = f'"{exc.report.version}"'
        return response

    @api.exception_handler(TransitionRefused)
    def _refused(request: HttpRequest, exc: TransitionRefused) -> HttpResponse:
        message = f"{exc.source} → {exc.target} refused: {exc.reason}"
        return answer(request, 422, body("refused", message))
