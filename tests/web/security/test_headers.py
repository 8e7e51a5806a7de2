"""A strict Content-Security-Policy on every staff response, and pages that need nothing more (SECURITY goal
15): no inline script, no style element or attribute, no event-handler attribute, no javascript: address —
checked in the template sources and in every page a crawl of the site reaches as each kind of person."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.accounts import add_user
from bordermonitor.storage.models import Report
from bordermonitor.web.security.middleware import content_security_policy
from tests.network import PASSWORD

pytestmark = pytest.mark.django_db
WEB = Path(__file__).resolve().parents[3] / "src" / "bordermonitor" / "web"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def test_the_policy() -> None:
    assert content_security_policy(tile_origin=None) == POLICY
    assert "unsafe" not in POLICY
    with_tiles = content_security_policy(tile_origin="https://*.tile.example.org")
    assert "img-src 'self' data: https://*.tile.example.org;" in with_tiles


def test_every_kind_of_response_carries_it(network_world: dict[str, Report], login: Any) -> None:
    visitor = Client()
    reviewer = login("reviewer@nnk.test")
    report = network_world["nnk-shared"]
    responses = {
        "sign-in page": visitor.get("/accounts/login/"),
        "redirect to sign in": visitor.get("/reports/"),
        "static file": visitor.get("/static/bordermonitor/site.css"),
        "not found": reviewer.get("/no-such-page/"),
        "page": reviewer.get(f"/reports/{report.pk}/"),
        "API answer": reviewer.get("/api/v1/reports"),
        "API refusal": visitor.get("/api/v1/reports"),
        "CSRF refusal": Client(enforce_csrf_checks=True).post("/accounts/login/", {}),
        "too large": visitor.post(
            "/accounts/login/", content_type="text/plain", data="x", CONTENT_LENGTH=str(10**10)
        ),
    }
    for name, response in responses.items():
        assert response["Content-Security-Policy"] == POLICY, name
        assert response["Permissions-Policy"].startswith("camera=()"), name
        if response["Content-Type"].startswith("text/html"):  # frame-ancestors refuses framing for all
            assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
    assert responses["page"]["Referrer-Policy"] == "same-origin"
    assert responses["page"]["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_administration_site_carries_it(network_world: dict[str, Report]) -> None:
    with scopes_disabled():
        add_user(
            email="root@network.test", organisation="nnk", role="analyst", password=PASSWORD, site_admin=True
        )
    client = Client()
    assert client.login(username="root@network.test", password=PASSWORD)
    for url in ("/admin/", "/admin/storage/report/", "/admin/storage/user/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == POLICY, url
        _inert(url, response.content.decode())


def test_only_the_api_documentation_allows_inline_styles(
    network_world: dict[str, Report], login: Any
) -> None:
    """Swagger UI writes style attributes; its page runs the shipped scripts only, like every other."""
    docs = login("reviewer@nnk.test").get("/api/v1/docs")
    assert docs.status_code == 200
    policy = docs["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy and "'unsafe-eval'" not in policy


def test_a_configured_tile_server_may_serve_images(network_world: dict[str, Report], settings: Any) -> None:
    settings.BORDERMONITOR_TILE_ORIGIN = "https://tiles.example.org"
    response = Client().get("/accounts/login/")
    assert "img-src 'self' data: https://tiles.example.org;" in response["Content-Security-Policy"]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))
        if tag == "a":
            self.links += [value for name, value in attrs if name == "href" and value]

    handle_startendtag = handle_starttag


def _inert(where: str, page: str) -> list[str]:
    """Assert the page needs no inline script or style; returns its links."""
    parser = _Elements()
    parser.feed(page)
    for tag, attrs in parser.found:
        names = dict(attrs)
        assert tag != "style", f"{where}: a <style> element"
        assert "style" not in names, f"{where}: a style attribute on <{tag}>"
        handlers = [name for name in names if name.startswith("on")]
        assert not handlers, f"{where}: event handler attributes {handlers} on <{tag}>"
        if tag == "script":
            src = names.get("src") or ""
            kind = names.get("type") or ""
            same_site = src.startswith("/") and not src.startswith("//")
            assert same_site or kind == "application/json", f"{where}: an inline or third-party script"
        for name in ("href", "src", "action", "formaction"):
            value = (names.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), f"{where}: a javascript: address in {name}"
    return parser.links


_SKIP = re.compile(
    r"^/(accounts/logout|admin/|api/|i18n/|static/|.*\.(csv|jsonl|pdf|json|html)$|.*/files/|.*/download)"
)


def _crawl(client: Client, start: str, limit: int = 120) -> list[str]:
    """Every page reachable by links from ``start`` (same site, GET, at most two addresses per path)."""
    seen: set[str] = set()
    per_path: dict[str, int] = {}
    queue = [start]
    visited = []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), f"{url}: {response.status_code}"
        assert response["Content-Security-Policy"] == POLICY, url
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        visited.append(url)
        for link in _inert(url, response.content.decode()):
            target, _ = urldefrag(link)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target.startswith("/") or _SKIP.match(parts.path):
                continue
            if per_path.get(parts.path, 0) >= 2:
                continue
            per_path[parts.path] = per_path.get(parts.path, 0) + 1
            queue.append(target)
    return visited


@pytest.mark.parametrize(
    "email",
    [
        "reviewer@nnk.test",
        "documenter@nnk.test",
        "coordinator@network.test",
        "analyst@nnk.test",
        "admin@nnk.test",
    ],
)
def test_every_page_reached_needs_no_inline_script_or_style(
    network_world: dict[str, Report], login: Any, email: str
) -> None:
    client = login(email)
    visited = _crawl(client, "/")
    assert len(visited) >= 5, visited
    report = network_world["nnk-shared"]
    if email in ("reviewer@nnk.test", "admin@nnk.test"):  # the record, its history, every intake step
        assert {f"/reports/{report.pk}/", f"/reports/{report.pk}/history/"} <= set(visited)
        assert f"/reports/{report.pk}/edit/submit/" in visited
    if email == "coordinator@network.test":
        assert {"/matrix/", "/stakeholders/", "/reporting/", "/publication/", "/crosscheck/"} <= set(visited)
    # the second-factor pages too
    for url in ("/account/second-factor/", "/account/second-factor/set-up/"):
        response = client.get(url)
        assert response["Content-Security-Policy"] == POLICY
        _inert(url, response.content.decode())


_INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
]


def test_no_staff_template_has_inline_script_or_style() -> None:
    templates = sorted((WEB / "templates").rglob("*.html"))
    assert len(templates) > 50
    problems = [
        f"{path.relative_to(WEB)}: {what}"
        for path in templates
        for pattern, what in _INLINE
        if pattern.search(path.read_text())
    ]
    assert not problems, "\n".join(problems)


def test_no_staff_script_evaluates_text_or_writes_style_attributes() -> None:
    scripts = sorted((WEB / "static" / "bordermonitor").glob("*.js"))
    assert scripts
    forbidden = re.compile(
        r"\beval\(|new Function\(|setAttribute\(\s*[\"']style|\bstyle=|javascript:|\.cssText\s*="
    )
    problems = [
        f"{path.name}: {m.group(0)}" for path in scripts for m in forbidden.finditer(path.read_text())
    ]
    assert not problems, problems
