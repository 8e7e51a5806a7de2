"""The BVMN legacy database through the command line: every row in, figures right, nothing lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bordermonitor.cli import main
from bordermonitor.importers.bvmn_fixture import write_legacy

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    return CliRunner().invoke(main, list(args), catch_exceptions=False).output


@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
def test_a_messy_legacy_file_imports_every_row_with_the_right_figures(
    db: None, tmp_path: Path, fmt: str
) -> None:
    legacy = tmp_path / f"legacy.{fmt}"
    truth = write_legacy(legacy, rows=300, seed=11, fmt=fmt)  # type: ignore[arg-type]
    output = run("import", "bvmn", str(legacy), "--organisation", "bvmn")
    assert f"rows read: {truth.rows}" in output
    assert f"imported: {truth.rows} ({truth.rows} new, 0 updated)" in output
    assert "rejected: 0" in output

    figures = json.loads(run("stats", "--json", "--source", "bvmn-legacy"))
    assert figures["incidents"] == truth.rows
    assert figures["by_violence"] == dict(truth.by_violence)
    assert figures["by_expelling_state"] == dict(truth.by_expelling_state)
    assert figures["by_nationality"] == dict(truth.by_nationality)
    assert figures["unmapped"] == truth.other_mentions
    assert figures["minors_involved"] == truth.minors_involved
    assert figures["people_affected"] == truth.people_affected

    from bordermonitor.storage.models import Organisation

    codes = set(Organisation.objects.values_list("name", flat=True))
    assert set(truth.authors) <= codes  # reporting members became organisations
    assert "Array" not in codes


def test_free_text_survives_export_and_reimport(db: None, tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.sqlite"
    truth = write_legacy(legacy, rows=120, seed=5)
    run("import", "bvmn", str(legacy), "--organisation", "bvmn")
    first = tmp_path / "one" / "all.jsonl"
    run("export", "jsonl", "--out", str(first))
    exported = first.read_text()
    for text in truth.free_texts:
        assert json.dumps(text, ensure_ascii=False)[1:-1] in exported, text
    for _row, _column, value in truth.flagged:
        assert json.dumps(value, ensure_ascii=False)[1:-1] in exported, value

    from django_scopes import scopes_disabled

    from bordermonitor.storage.models import Incident, Report

    with scopes_disabled():
        Report.objects.all().delete()
        Incident.objects.all().delete()
    run("import", "jsonl", str(first))
    second = tmp_path / "two" / "all.jsonl"
    run("export", "jsonl", "--out", str(second))
    assert [json.loads(x) for x in exported.splitlines()] == [
        json.loads(x) for x in second.read_text().splitlines()
    ]


def test_a_file_that_is_not_a_legacy_export_is_a_clear_error(db: None, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(main, ["import", "bvmn", str(path), "--organisation", "bvmn"])
    assert result.exit_code == 1
    assert "other.csv" in result.output


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bordermonitor", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "Usage: python -m bordermonitor" in done.stdout or "Usage: bordermonitor" in done.stdout
