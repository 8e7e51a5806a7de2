"""The command line, as a person uses it: every command documented, imports summarised, figures right."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from bordermonitor.cli import main
from tests.conftest import MMP_FILE

pytestmark = pytest.mark.django_db


def run(*args: str) -> click.testing.Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("path", commands(main))
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert "Example:" in result.output, path


def test_org_and_user_add(db: None) -> None:
    assert "added organisation nnk" in run("org", "add", "nnk", "--name", "North Corridor Aid").output
    result = run("user", "add", "Reviewer@Example.org", "--organisation", "nnk", "--role", "reviewer")
    assert "reviewer@example.org is reviewer of nnk" in result.output
    password = result.output.split("password (shown once): ")[1].strip()
    assert len(password) >= 16
    again = run("user", "add", "reviewer@example.org", "--organisation", "nnk", "--role", "coordinator")
    assert "password" not in again.output  # shown once only
    from bordermonitor.storage.models import User

    account = User.objects.get(email="reviewer@example.org")
    assert account.check_password(password)
    assert account.password.startswith("argon2$argon2id$")
    assert sorted(account.memberships.values_list("role", flat=True)) == ["coordinator", "reviewer"]


def test_user_add_to_an_unknown_organisation_says_what_to_do(db: None) -> None:
    result = CliRunner().invoke(
        main, ["user", "add", "a@b.org", "--organisation", "nope", "--role", "documenter"]
    )
    assert result.exit_code == 1
    assert "bordermonitor org add nope --name NAME" in result.output


def _independent_mmp_counts() -> dict[str, Any]:
    """Figures of the real file computed here with the csv module alone, not with the project's code."""
    by_year: Counter[str] = Counter()
    dead_by_year: Counter[str] = Counter()
    missing_by_year: Counter[str] = Counter()
    with MMP_FILE.open(encoding="cp1252", newline="") as handle:
        for row in csv.DictReader(handle):
            year = row["Incident Date"][:4] or row["Incident year"]
            by_year[year] += 1
            dead_by_year[year] += int(row["Number of Dead"] or 0)
            missing_by_year[year] += int(row["Minimum Estimated Number of Missing"] or 0)
    return {"by_year": by_year, "dead": dead_by_year, "missing": missing_by_year}


def test_mmp_import_then_stats_matches_the_file(db: None) -> None:
    result = run("import", "mmp", str(MMP_FILE), "--organisation", "mmp")
    assert "rows read: 10274" in result.output
    assert "rejected: 0" in result.output
    figures = json.loads(run("stats", "--json").output)
    assert figures["incidents"] == 10274
    assert figures["reports"] == 10274
    assert figures["dead"] == 26054
    assert figures["dead"] + figures["missing"] == 47360
    truth = _independent_mmp_counts()
    assert {y: v["incidents"] for y, v in figures["by_year"].items()} == dict(truth["by_year"])
    assert {y: v["dead"] for y, v in figures["by_year"].items()} == dict(truth["dead"])
    assert {y: v["missing"] for y, v in figures["by_year"].items()} == dict(truth["missing"])
    assert sum(figures["by_cause_of_death"].values()) >= 10274  # every row has at least one cause
    in_2019 = json.loads(run("stats", "--json", "--from", "2019-01-01", "--to", "2019-12-31").output)
    assert in_2019["incidents"] == truth["by_year"]["2019"]
    assert json.loads(run("stats", "--json", "--source", "bvmn-legacy").output)["incidents"] == 0


def test_mmp_export_import_export_is_identical(db: None, tmp_path: Path) -> None:
    run("import", "mmp", str(MMP_FILE))
    first = tmp_path / "first" / "all.jsonl"
    assert "exported 10274 reports" in run("export", "jsonl", "--out", str(first)).output
    from django_scopes import scopes_disabled

    from bordermonitor.storage.models import Incident, Report

    with scopes_disabled():
        Report.objects.all().delete()
        Incident.objects.all().delete()
    result = run("import", "jsonl", str(first))
    assert "imported: 10274" in result.output
    second = tmp_path / "second" / "all.jsonl"
    run("export", "jsonl", "--out", str(second))
    assert [json.loads(x) for x in first.read_text().splitlines()] == [
        json.loads(x) for x in second.read_text().splitlines()
    ]


def test_jsonl_import_reports_every_bad_row_and_keeps_the_good_ones(db: None, tmp_path: Path) -> None:
    lines = [
        {
            "ref": "nnk-2019-044",
            "organisation": "nnk",
            "kind": "testimony",
            "incident": {"location": {"lat": 454826.06}},
        },
        "not json",
        {"organisation": "nnk", "kind": "testimony"},
        {"ref": "nnk-2019-045", "organisation": "nnk", "kind": "testimony"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    output = run("import", "jsonl", str(path)).output
    assert "rows read: 4" in output
    assert "imported: 2 (2 new, 0 updated)" in output
    assert "flagged for review: 1" in output
    assert "rejected: 2" in output
    assert "report 'line 2', (record): is not valid JSON" in output
    assert "report 'line 3', ref: is required" in output
    assert "incident.location.lat: 1" in output
    assert "organisation 'nnk' did not exist and was created" in output
    exported = [json.loads(x) for x in run("export", "jsonl").output.splitlines() if x.startswith("{")]
    assert exported[0]["source"]["unparsed"][0]["value"] == 454826.06  # kept verbatim


def test_stats_leaves_out_drafts_unless_asked(db: None, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    rows = [
        {"ref": "a", "organisation": "nnk", "kind": "testimony", "status": "draft", "incident": {"dead": 1}},
        {"ref": "b", "organisation": "nnk", "kind": "testimony", "status": "rejected"},
        {"ref": "c", "organisation": "nnk", "kind": "testimony", "incident": {"group": {"size": 8}}},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    run("import", "jsonl", str(path))
    assert json.loads(run("stats", "--json").output)["incidents"] == 1
    with_drafts = json.loads(run("stats", "--json", "--status", "draft", "--status", "submitted").output)
    assert (with_drafts["incidents"], with_drafts["dead"], with_drafts["people_affected"]) == (2, 1, 8)


def test_bad_dates_are_clear_errors(db: None) -> None:
    result = CliRunner().invoke(main, ["stats", "--json", "--from", "2019-13-01"])
    assert result.exit_code == 2
    assert "'2019-13-01' is not a date (YYYY-MM-DD)" in result.output


def test_init_is_idempotent(db: None) -> None:
    assert run("init").output.strip() == "database ready"
    assert run("init").output.strip() == "database ready"


def test_a_row_the_database_refuses_costs_only_that_row(db: None, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    good = json.dumps({"ref": "good-1", "organisation": "nnk", "kind": "testimony"})
    refused = (
        '{"ref": "bad-1", "organisation": "nnk", "kind": "testimony", "source": {"original": {"age": NaN}}}'
    )
    path.write_text(good + "\n" + refused + "\n")
    output = run("import", "jsonl", str(path)).output
    assert "imported: 1 (1 new, 0 updated)" in output
    assert "rejected: 1" in output
    assert "report 'bad-1': the database refused it" in output
    assert [
        json.loads(x)["ref"] for x in run("export", "jsonl").output.splitlines() if x.startswith("{")
    ] == ["good-1"]


def test_null_is_unknown_and_flags_nothing(db: None, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    record = {
        "ref": "n-1", "organisation": "nnk", "kind": "testimony", "consent": None, "evidence": None,
        "incident": {"violence": None, "expelled_by": None, "group": None, "medical": {"injuries": None}},
    }  # fmt: skip
    path.write_text(json.dumps(record) + "\n")
    assert "flagged for review: 0" in run("import", "jsonl", str(path)).output


def test_an_organisation_admin_is_not_a_site_administrator(db: None) -> None:
    run("org", "add", "NNK", "--name", "North Corridor Aid")  # codes are stored in lower case
    run("user", "add", "a@nnk.test", "--organisation", "NNK", "--role", "admin")
    run("user", "add", "tech@network.test", "--organisation", "nnk", "--role", "admin", "--site-admin")
    from bordermonitor.storage.models import User

    assert not User.objects.get(email="a@nnk.test").is_superuser
    assert User.objects.get(email="tech@network.test").is_superuser


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "bogus"], "'bogus' is not one of"),
        (["--from", "2020-01-01", "--to", "2019-01-01"], "--from 2020-01-01 is after --to 2019-01-01"),
        (["--organisation", "nobody"], "no organisation 'nobody'"),
        (["--organisation", "Bad Org!"], "is not an organisation code"),
    ],
)
def test_stats_refuses_filters_that_cannot_match(db: None, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["stats", "--json", *args])
    assert result.exit_code == 2
    assert message in result.output
