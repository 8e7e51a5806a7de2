"""`bordermonitor report` on an imported BVMN legacy export: the numbers, the PDF page by page, right-to-left
reports, an empty month, the HTML against the JSON, and notable cases that never show a raw narrative."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from PIL import Image, ImageChops
from tests.reporting.conftest import (
    Legacy,
    cli,
    cli_error,
    keep,
    page_count,
    page_images,
    page_texts,
)

from bordermonitor.storage.models import Organisation, Report

pytestmark = pytest.mark.django_db

SECTIONS = (
    "Headline figures",
    "Comparison with earlier periods",
    "Expelling states and chain pushbacks",
    "Types of violence",
    "Nationalities of the people affected",
    "Map of incidents",
    "Situations of the monitoring matrix",
    "Notable cases",
    "Methods and sources",
)


def report(tmp_path: Path, *args: str, fmt: str = "json", name: str | None = None) -> Path:
    out = tmp_path / (name or f"report.{fmt}")
    output = cli("report", *args, "--format", fmt, "--out", str(out))
    assert f"to {out}" in output
    return out


def figures(tmp_path: Path, *args: str) -> dict[str, Any]:
    return json.loads(report(tmp_path, *args, fmt="json").read_text(encoding="utf-8"))


# --- an independent count, from the generated rows (not through the importer) -----------------------------


def _count(rows: list[dict[str, str]], start: dt.date, end: dt.date) -> dict[str, int]:
    """What the report must say of the rows dated from ``start`` to ``end``, read from the cells as written."""
    chosen = []
    for row in rows:
        try:
            day = dt.date.fromisoformat(row["date"][:10])
        except ValueError:  # empty, or WordPress's 0000-00-00: undated
            continue
        if start <= day <= end:
            chosen.append(row)
    sizes = [row["group_size"].strip() for row in chosen]
    violence = [row["types_of_violence_used"].strip() for row in chosen]
    return {
        "incidents": len(chosen),
        "people_affected": sum(int(size) for size in sizes if size.isdigit()),
        "minors_involved": sum(row["underage_involved"].strip().lower() == "yes" for row in chosen),
        "incidents_with_violence": sum(cell not in ("", "no violence used") for cell in violence),
        "without_violence_information": sum(cell == "" for cell in violence),
        "dead_and_missing": 0,  # the legacy database records no deaths
        "chain_pushbacks": sum(len(row["pushback_from"].split(" | ")) >= 2 for row in chosen),
    }


def _headline_values(page: str, labels: list[str]) -> dict[str, str]:
    """The value printed under each headline label on a ``pdftotext -layout`` page: the token of the next
    non-empty line that starts nearest to the label's column."""
    lines = page.splitlines()
    found = {}
    for label in labels:
        row = next(i for i, line in enumerate(lines) if label in line)
        column = lines[row].index(label)
        below = next(line for line in lines[row + 1 :] if line.strip())
        tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", below)]
        found[label] = min(tokens, key=lambda token: abs(token[0] - column))[1]
    return found


def test_the_monthly_pdf_says_what_stats_and_the_rows_say(legacy: Legacy, tmp_path: Path) -> None:
    stats = json.loads(cli("stats", "--json", "--from", "2019-05-01", "--to", "2019-05-31",
                           "--status", "verified", "--status", "approved_for_publication"))  # fmt: skip
    plain = json.loads(cli("stats", "--json", "--from", "2019-05-01", "--to", "2019-05-31"))
    assert plain["incidents"] == stats["incidents"]  # every imported row is approved for publication
    truth = _count(legacy.rows, dt.date(2019, 5, 1), dt.date(2019, 5, 31))
    assert truth["incidents"] >= 10  # a month with something to say

    data = figures(tmp_path, "monthly", "--month", "2019-05")
    headline = data["headline"]
    for key in ("incidents", "people_affected", "minors_involved", "dead", "missing", "dead_and_missing"):
        assert headline[key] == stats[key], key
    for key in (
        "incidents",
        "people_affected",
        "minors_involved",
        "incidents_with_violence",
        "dead_and_missing",
    ):
        assert headline[key] == truth[key], key
    informed = truth["incidents"] - truth["without_violence_information"]
    assert headline["incidents_with_violence_information"] == informed
    assert headline["violence_share"] == pytest.approx(truth["incidents_with_violence"] / informed)
    chains = data["chains"]["total"]
    assert chains["value"] in (truth["chain_pushbacks"], None)  # None: withheld as a small count
    published = {
        row["key"]: row["value"] for row in data["expelling_states"]["rows"] if not row["suppressed"]
    }
    assert published and all(stats["by_expelling_state"][key] == value for key, value in published.items())

    pdf = report(tmp_path, "monthly", "--month", "2019-05", fmt="pdf")
    pages = page_texts(pdf)
    headline_page = next(page for page in pages[2:] if "Headline figures" in page)
    printed = _headline_values(
        headline_page, ["Incidents", "People affected", "Incidents involving minors", "Dead and missing"]
    )
    assert printed == {
        "Incidents": f"{truth['incidents']:,}",
        "People affected": f"{truth['people_affected']:,}",
        "Incidents involving minors": f"{truth['minors_involved']:,}",
        "Dead and missing": "0",
    }


def test_the_pdf_is_typeset_page_by_page(legacy: Legacy, tmp_path: Path) -> None:
    pdf = report(tmp_path, "monthly", "--month", "2019-05", fmt="pdf")
    count = page_count(pdf)
    images = page_images(pdf, tmp_path / "pages")
    assert len(images) == count >= len(SECTIONS)  # every page rendered; each major part starts a page
    for image in images:
        with Image.open(image) as page:
            assert page.size[0] < page.size[1]  # A4, upright
            ink = ImageChops.invert(page.convert("L")).getbbox()
            assert ink is not None, f"{image.name} is blank"
    keep(
        [
            images[0],
            images[2],
            next(i for i, t in zip(images, page_texts(pdf), strict=True) if "Map of incidents" in t[:400]),
        ],
        "monthly-en",
    )

    texts = page_texts(pdf)
    assert "Monthly report" in texts[0] and "May 2019" in texts[0]  # the cover
    assert "Contents" in texts[1]
    first_page = {}
    for section in SECTIONS:
        first_page[section] = next(n for n, text in enumerate(texts[2:], start=3) if section in text)
    assert list(first_page.values()) == sorted(first_page.values()), first_page  # in this order
    # the table of contents gives the page each section starts on (target-counter), and running heads
    for section, number in first_page.items():
        line = next(line for line in texts[1].splitlines() if section in line)
        assert line.rstrip().endswith(f" {number}") or line.rstrip().endswith(f".{number}"), (section, line)
    for number, text in enumerate(texts[1:], start=2):
        assert f"{number} / {count}" in text  # page numbers in the footer, from the second page
        assert "Monthly report: May 2019" in text.splitlines()[0]  # the running head


def _shaped_letters(pdf: Path) -> dict[str, int]:
    """For each Arabic letter drawn in the PDF's text, how many different glyphs draw it (read from the fonts'
    ToUnicode maps). Shaped text uses a letter's initial, medial, final and isolated forms: several glyphs."""
    glyphs: dict[str, set[tuple[str, str]]] = {}
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                cmap = font.get("/ToUnicode")
                if cmap is None:
                    continue
                text = cmap.read_bytes().decode("latin-1")
                for glyph, code in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]{4})>", text):
                    letter = chr(int(code, 16))
                    if "\u0621" <= letter <= "\u064a" or letter in "پچژکگی":
                        glyphs.setdefault(letter, set()).add((str(font.get("/BaseFont")), glyph))
    return {letter: len(forms) for letter, forms in glyphs.items()}


@pytest.mark.parametrize(
    ("language", "croatia", "heading"),
    [("ar", "كرواتيا", "الحوادث"), ("fa", "کرواسی", "حوادث")],
)
def test_arabic_and_farsi_reports_run_right_to_left_and_are_shaped(
    legacy: Legacy, tmp_path: Path, language: str, croatia: str, heading: str
) -> None:
    html = report(tmp_path, "monthly", "--month", "2019-05", "--language", language, fmt="html").read_text()
    assert f'<html lang="{language}" dir="rtl">' in html
    pdf = report(tmp_path, "monthly", "--month", "2019-05", "--language", language, fmt="pdf")
    texts = page_texts(pdf)
    body = "\n".join(texts)
    assert croatia in body  # pdftotext reads the name back in logical order: one word, not scattered letters
    # right to left: the tables' first column (the labels) is on the right of the page
    states = next(text for text in texts[2:] if croatia in text)
    line = next(line for line in states.splitlines() if croatia in line)
    assert line.index(croatia) > len(line.rstrip()) / 2, line
    shaped = _shaped_letters(pdf)
    assert shaped and max(shaped.values()) >= 3, shaped  # contextual forms: the letters are joined
    images = page_images(pdf, tmp_path / f"pages-{language}")
    assert len(images) == page_count(pdf)
    keep([images[2], images[3]], f"monthly-{language}")
    assert heading in html


class _Figures(HTMLParser):
    """Every element carrying ``data-figure``: its value attribute and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str | None, bool, list[str]]] = []
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "data-figure" in values:
            self.found.append(
                (values["data-figure"] or "", values.get("data-value"), "data-suppressed" in values, [])
            )
            self._open.append(len(self.found) - 1)
        elif self._open:
            self._open.append(-1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for index in self._open:
            if index >= 0:
                self.found[index][3].append(data)


def _json_value(data: dict[str, Any], figure: str) -> tuple[Any, bool]:
    """The JSON value an HTML figure stands for, and whether it is withheld."""
    table, _, key = figure.partition(".")
    if table == "headline":
        return data["headline"][key], False
    if table == "comparison":
        which, _, name = key.partition(".")
        if which == "now":
            return data["headline"][name], False
        return data["comparisons"][which]["changes"][name]["then"], False
    if table == "situations":
        column, _, token = key.partition(".")
        row = next(r for r in data["situations"]["rows"] if r["key"] == token)
        return row[column]["value"], row[column]["suppressed"]
    if table == "period":
        return data["period"]["label"], False
    tables = {"sources": data["sources"]["table"]}
    found = tables.get(table, data.get(table))
    rows = [*found["rows"], *([found["total"]] if "total" in found else [])]
    row = next(r for r in rows if r["key"] == key)
    return row["value"], row["suppressed"]


def test_the_numbers_in_the_html_are_the_json(legacy: Legacy, tmp_path: Path) -> None:
    data = figures(tmp_path, "monthly", "--month", "2019-05")
    html = report(tmp_path, "monthly", "--month", "2019-05", fmt="html").read_text(encoding="utf-8")
    parser = _Figures()
    parser.feed(html)
    assert len(parser.found) > 40
    kinds = Counter(figure.split(".")[0] for figure, *_ in parser.found)
    assert {"headline", "comparison", "expelling_states", "violence", "nationalities", "chains"} <= set(kinds)
    for figure, value, suppressed, text in parser.found:
        expected, withheld = _json_value(data, figure)
        shown = "".join(text).strip().replace("\u2066", "").replace("\u2069", "")  # bidi isolates
        if figure == "period":
            assert shown == expected
        elif withheld:
            assert suppressed and value is None and expected is None
            assert shown == f"<{data['threshold']}*"
        elif figure == "headline.violence_share":
            assert float(value or "nan") == pytest.approx(expected)
        else:
            assert not suppressed and value == str(expected), figure
            assert shown.replace(",", "") == str(expected), (figure, shown)
    assert (
        "<script" not in html and "<link" not in html and "@import" not in html
    )  # one file, nothing fetched
    assert not re.search(r'(?:src|href)="(?!#)|url\((?!#)', html)


def test_an_empty_month_says_so_in_every_section(legacy: Legacy, tmp_path: Path) -> None:
    data = figures(tmp_path, "monthly", "--month", "2016-03")  # the export starts in 2017
    assert data["headline"]["incidents"] == 0 and data["headline"]["violence_share"] is None
    assert data["expelling_states"]["rows"] == [] and data["situations"]["rows"] == []
    html = report(tmp_path, "monthly", "--month", "2016-03", fmt="html").read_text(encoding="utf-8")
    empty = set(re.findall(r'data-empty="([a-z_]+)"', html))
    assert empty == {"headline", "comparison", "states", "chains", "violence", "nationalities", "map",
                     "situations", "cases", "sources"}  # fmt: skip
    pdf = report(tmp_path, "monthly", "--month", "2016-03", fmt="pdf")
    text = "\n".join(page_texts(pdf))
    assert "No incident was counted for March 2016" in text
    for section in SECTIONS:
        assert section in text
    assert len(page_images(pdf, tmp_path / "empty")) == page_count(pdf)


CANARY_NARRATIVE = "CANARY-NARRATIVE-7f3a"
CANARY_NAME = "CANARY-NAME-Zoran"


def _approve_public_versions(count: int) -> list[Report]:
    with scopes_disabled():
        Organisation.objects.filter(code="bvmn").update(shares_with_network=True)
        chosen = list(
            Report.objects.filter(date_start__gte="2019-05-01", date_start__lte="2019-05-31").order_by("id")[
                :count
            ]
        )
        for n, item in enumerate(chosen):
            Report.objects.filter(pk=item.pk).update(
                narrative_text=f"{CANARY_NAME} said: {CANARY_NARRATIVE} the police took everything.",
                known_names=[CANARY_NAME],
                public_title=f"Public title {n}: they took our phones",
                public_narrative=f"[name] told us the police took the phones and shoes near the border ({n}). "
                + "They were driven back across the river at night. " * 20,
                public_approved_at=timezone.now(),
                consent_publish=True,
                status="approved_for_publication",
            )
        return [Report.objects.select_related("organisation").get(pk=item.pk) for item in chosen]


def test_notable_cases_show_the_approved_public_version_only(legacy: Legacy, tmp_path: Path) -> None:
    cases = _approve_public_versions(2)
    options = [value for item in cases for value in ("--case", f"bvmn:{item.ref}")]
    data = figures(tmp_path, "monthly", "--month", "2019-05", *options)
    assert [case["title"] for case in data["notable_cases"]] == [item.public_title for item in cases]
    assert all(
        case["excerpt"].startswith("[name] told us") and case["excerpt"].endswith("…")
        for case in data["notable_cases"]
    )
    outputs = {
        "json": json.dumps(data, ensure_ascii=False),
        "html": report(tmp_path, "monthly", "--month", "2019-05", *options, fmt="html").read_text(
            encoding="utf-8"
        ),
        "pdf": "\n".join(page_texts(report(tmp_path, "monthly", "--month", "2019-05", *options, fmt="pdf"))),
    }
    for fmt, text in outputs.items():
        assert "they took our phones" in text, fmt
        assert CANARY_NARRATIVE not in text and CANARY_NAME not in text, fmt
        assert "CANARY" not in text, fmt

    with scopes_disabled():
        Report.objects.filter(pk=cases[1].pk).update(public_approved_at=None)  # the approval was withdrawn
    refused = cli_error("report", "monthly", "--month", "2019-05", *options, "--format", "pdf",
                        "--out", str(tmp_path / "refused.pdf"))  # fmt: skip
    assert f"case bvmn:{cases[1].ref}: its public version is not approved for publication" in refused
    assert not (tmp_path / "refused.pdf").exists()
    other_month = cli_error("report", "monthly", "--month", "2019-04", "--case", f"bvmn:{cases[0].ref}",
                            "--format", "json", "--out", str(tmp_path / "x.json"))  # fmt: skip
    assert "its incident date is not in the report's period" in other_month


def test_the_annual_report_has_the_months_and_the_year_before(legacy: Legacy, tmp_path: Path) -> None:
    stats = json.loads(cli("stats", "--json", "--from", "2019-01-01", "--to", "2019-12-31"))
    data = figures(tmp_path, "annual", "--year", "2019")
    assert data["kind"] == "annual" and data["headline"]["incidents"] == stats["incidents"]
    assert list(data["comparisons"]) == ["previous"]  # the year before
    assert data["comparisons"]["previous"]["period"]["label"] == "2018"
    months = data["monthly"]["rows"]
    assert [row["key"] for row in months] == [f"2019-{m:02d}" for m in range(1, 13)]
    assert sum(row["value"] for row in months if row["value"] is not None) <= stats["incidents"]
    if not any(row["suppressed"] for row in months):
        assert sum(row["value"] for row in months) == stats["incidents"]
    html = report(tmp_path, "annual", "--year", "2019", fmt="html").read_text(encoding="utf-8")
    assert 'id="monthly"' in html and "<svg" in html and "Incidents per month" in html


def test_bad_input_is_a_clear_error(legacy: Legacy, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    assert "'2019-13' is not a month (YYYY-MM" in cli_error(
        "report", "monthly", "--month", "2019-13", "--format", "pdf", "--out", out
    )
    assert "'19' is not a year (YYYY" in cli_error(
        "report", "annual", "--year", "19", "--format", "pdf", "--out", out
    )
    assert "no organisation 'nobody'" in cli_error(
        "report", "monthly", "--month", "2019-05", "--organisation", "nobody", "--format", "pdf", "--out", out
    )
    assert "'nnk-1' is not ORG:REF" in cli_error(
        "report", "monthly", "--month", "2019-05", "--case", "nnk-1", "--format", "pdf", "--out", out
    )
    assert "case bvmn:no-such-ref: no such report" in cli_error(
        "report",
        "monthly",
        "--month",
        "2019-05",
        "--case",
        "bvmn:no-such-ref",
        "--format",
        "pdf",
        "--out",
        out,
    )
    assert not Path(out).exists()


def test_missing_migrants_rows_count_their_dead_and_carry_their_licence(db: None, tmp_path: Path) -> None:
    from tests.conftest import MMP_FILE

    cli("import", "mmp", str(MMP_FILE), "--organisation", "mmp")
    stats = json.loads(cli("stats", "--json", "--from", "2019-05-01", "--to", "2019-05-31",
                           "--status", "verified", "--status", "approved_for_publication"))  # fmt: skip
    assert stats["dead"] > 0
    data = figures(tmp_path, "monthly", "--month", "2019-05")
    for key in ("incidents", "dead", "missing", "dead_and_missing", "people_affected"):
        assert data["headline"][key] == stats[key], key
    assert data["sources"]["licences"]["iom-mmp"] == {
        "licence": "CC-BY-4.0", "attribution": "IOM's Missing Migrants Project",
    }  # fmt: skip
    html = report(tmp_path, "monthly", "--month", "2019-05", fmt="html").read_text(encoding="utf-8")
    assert "Data of the Missing Migrants Project: CC-BY-4.0, “IOM&#x27;s Missing Migrants Project”." in html
    positions = data["map"]["positions"]
    assert positions and data["map"]["incidents_placed"] >= len(positions)
    assert all("incidents" not in position for position in positions)  # no count at a place
    from django.conf import settings

    from bordermonitor.core.policy import coarsen_location

    with scopes_disabled():
        recorded = list(
            Report.objects.filter(
                date_start__gte="2019-05-01", date_start__lte="2019-05-31", lat__isnull=False
            ).values_list("lat", "lon", "precision_m", "group_size")
        )
    policy = settings.BORDERMONITOR_PUBLICATION_POLICY
    coarse = {
        coarsen_location(lat, lon, precision, policy=policy, group_size=size)[:2]
        for lat, lon, precision, size in recorded
    }
    shown = {(position["lat"], position["lon"]) for position in positions}
    assert shown == coarse  # only the policy's cells: never a recorded coordinate
    assert not shown & {(lat, lon) for lat, lon, _, _ in recorded}
