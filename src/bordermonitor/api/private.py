"""The private API: authenticated, scoped to the caller's organisations, described by OpenAPI 3.

Mounted at ``/api/v1/``; the description is at ``/api/v1/openapi.json`` and a browsable page at
``/api/v1/docs`` (Swagger UI from the files django-ninja ships, served by this site: nothing is loaded from
another one).
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from bordermonitor.api import people, reports, workflow
from bordermonitor.api.auth import BearerToken, Session, scoped
from bordermonitor.api.errors import install

__all__ = ["api"]

api = NinjaAPI(
    title="bordermonitor private API",
    version="1",
    description=(
        "Reports, incidents and the review workflow of the organisations you work in. Authenticate with a "
        "personal token (Authorization: Bearer bm_…, from /account/tokens/) or your signed-in session "
        "(unsafe methods need the X-CSRFToken header). Errors always have the shape "
        '{"error": {"code", "message", "fields": [{"path", "message"}]}}.'
    ),
    auth=[BearerToken(), Session()],
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": False}),
)
install(api)
api.add_decorator(scoped)
api.add_router("", reports.router)
api.add_router("", workflow.router)
api.add_router("", people.router)
