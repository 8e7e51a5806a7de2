"""``bordermonitor crosscheck`` and ``org set --auto-link``: the pairs in JSON, linking without review where both
organisations allow it, and what linking changes in the figures and the export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bordermonitor.cli import main
from bordermonitor.core.linkage import DEFAULT_THRESHOLD

pytestmark = pytest.mark.django_db


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def account(ref: str, organisation: str, *, date: str, lat: float, lon: float, size: int,
            nationalities: list[str], violence: list[str], chain: list[str]) -> dict[str, Any]:  # fmt: skip
    return {
        "format": "bordermonitor/report@1",
        "ref": ref,
        "organisation": organisation,
        "kind": "testimony",
        "status": "verified",
        "consent": {"publish": True, "share_with_network": True, "legal_use": None},
        "narrative": {
            "text": f"We were {size} people. The police found us at night and beat us.",
            "language": "en",
        },
        "incident": {
            "ref": f"{ref}-inc",
            "date": date,
            "location": {"lat": lat, "lon": lon, "country": "BA"},
            "expelled_by": chain,
            "expelled_to": "BA",
            "group": {"size": size, "nationalities": nationalities},
            "violence": [{"type": code} for code in violence],
            "perpetrators": [{"authority": f"{chain[-1]}-police"}],
        },
    }


ACCOUNTS = (
    # one incident told by nnk and rigardu
    account("nnk-1", "nnk", date="2021-03-04", lat=45.18, lon=15.80, size=6, nationalities=["AF"],
            violence=["beating", "theft_of_belongings"], chain=["HR"]),
    account("rig-1", "rigardu", date="2021-03-05", lat=45.185, lon=15.806, size=7, nationalities=["AF"],
            violence=["beating", "theft_of_belongings"], chain=["HR"]),
    # another, told by nnk and mvi (which does not link without review)
    account("nnk-2", "nnk", date="2022-07-20", lat=44.81, lon=15.87, size=12, nationalities=["SY", "IQ"],
            violence=["dog_attack", "beating"], chain=["SI", "HR"]),
    account("mvi-2", "mvi", date="2022-07-20", lat=44.812, lon=15.872, size=12, nationalities=["SY", "IQ"],
            violence=["dog_attack", "beating"], chain=["SI", "HR"]),
    # the same night and crossing as nnk-1, but another group: a pair considered, not proposed
    account("mvi-3", "mvi", date="2021-03-04", lat=45.19, lon=15.79, size=2, nationalities=["MA"],
            violence=["verbal_abuse"], chain=["HR"]),
)  # fmt: skip


@pytest.fixture
def network_file(db: None, tmp_path: Path) -> Path:
    path = tmp_path / "accounts.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ACCOUNTS), encoding="utf-8")
    assert run("import", "jsonl", str(path)).exit_code == 0
    for code in ("nnk", "rigardu", "mvi"):
        assert run("org", "add", code, "--name", code.upper(), "--share-with-network").exit_code == 0
    return path


def test_json_prints_one_object_with_every_pair_considered(network_file: Path) -> None:
    result = run("crosscheck", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # one object, nothing else on standard output
    assert set(data) == {"threshold", "pairs"}
    assert data["threshold"] == DEFAULT_THRESHOLD
    pairs = {(p["a"]["ref"], p["b"]["ref"]): p for p in data["pairs"]}
    assert {("nnk-1", "rig-1"), ("nnk-2", "mvi-2"), ("nnk-1", "mvi-3")} <= set(pairs)
    for pair in data["pairs"]:
        assert set(pair) == {"a", "b", "score", "agreements"}
        assert set(pair["a"]) == set(pair["b"]) == {"organisation", "ref"}
        assert 0 <= pair["score"] <= 1
        assert {"date", "place", "group_size", "nationalities", "violence", "narrative"} <= set(
            pair["agreements"]
        )
        assert set(pair["agreements"]["date"]) >= {"level", "weight", "a", "b"}
    assert pairs[("nnk-1", "rig-1")]["a"] == {"organisation": "nnk", "ref": "nnk-1"}
    assert pairs[("nnk-1", "rig-1")]["score"] >= DEFAULT_THRESHOLD
    assert pairs[("nnk-1", "mvi-3")]["score"] < DEFAULT_THRESHOLD  # another group the same night
    assert pairs[("nnk-1", "rig-1")]["agreements"]["date"]["a"] == "2021-03-04"
    assert "proposed as one incident" in result.stderr

    text = run("crosscheck")
    assert "pairs considered: " in text.stdout and "0 new" in text.stdout  # proposed already: rescored


def test_auto_threshold_links_only_where_both_organisations_allow_it(
    network_file: Path, tmp_path: Path
) -> None:
    before = json.loads(run("stats", "--json").stdout)
    assert (before["incidents"], before["people_affected"]) == (5, 6 + 7 + 12 + 12 + 2)
    for code in ("nnk", "rigardu"):
        result = run("org", "set", code, "--auto-link")
        assert result.exit_code == 0 and f"may link {code}'s reports" in result.stdout

    result = run("crosscheck", "--auto-threshold", "0.9")
    assert result.exit_code == 0, result.output
    assert "linked without review: 1" in result.stdout  # nnk ~ rigardu; mvi did not allow it

    after = json.loads(run("stats", "--json").stdout)
    # one incident fewer; its people counted once, from the earliest-recorded account
    assert (after["incidents"], after["people_affected"]) == (4, 6 + 12 + 12 + 2)
    out = tmp_path / "export" / "all.jsonl"
    run("export", "jsonl", "--out", str(out))
    refs = {r["ref"]: r["incident"]["ref"] for r in map(json.loads, out.read_text().splitlines())}
    assert refs["nnk-1"] == refs["rig-1"] == "nnk-1-inc"
    assert len({refs["nnk-2"], refs["mvi-2"], refs["mvi-3"], refs["nnk-1"]}) == 4

    again = run("crosscheck", "--auto-threshold", "0.9")
    assert "linked without review: 0" in again.stdout
    assert json.loads(run("stats", "--json").stdout) == after

    assert "may not link" in run("org", "set", "rigardu", "--no-auto-link").stdout
    assert "linked without review: 0" in run("crosscheck", "--auto-threshold", "0.9").stdout


def test_bad_input_is_refused_with_a_clear_message(network_file: Path) -> None:
    low = run("crosscheck", "--auto-threshold", "0.1")
    assert low.exit_code == 2 and "--auto-threshold" in low.output and "proposal threshold" in low.output
    day = run("crosscheck", "--since", "2024-13-01")
    assert day.exit_code == 2 and "'2024-13-01' is not a date" in day.output
    nobody = run("org", "set", "nobody", "--auto-link")
    assert nobody.exit_code == 1 and "no organisation 'nobody'" in nobody.output
    assert run("org", "set", "nnk").exit_code == 2  # say which way
