"""The release: what goes in, what stays out, the files' formats, and how a release is switched on."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette
from frictionless import validate

from bordermonitor.core.anonymise import PublicationPolicy
from bordermonitor.publish.release import PublicationRefused, current_release
from bordermonitor.storage.evidence import evidence_store
from bordermonitor.storage.keys import working_recipient
from bordermonitor.storage.models import Evidence, EvidenceDerivative, Incident, Report, User
from tests.publish.conftest import report

World = Callable[[list[dict[str, Any]]], None]


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _mixed_world(world: World) -> None:
    world(
        [
            report("nnk-1"),
            report("nnk-2", status="verified"),
            report("nnk-3", consent={"publish": None, "share_with_network": True, "legal_use": None}),
            report("rig-1", organisation="rigardu"),
            report(
                "nnk-4",
                title="Alone at the fence",
                narrative={"text": "He was stopped at the fence and sent back.", "language": "en"},
                incident={"date": "2024-05", "kind": "pushback", "expelled_by": ["HR"], "group": {"size": 1}},
            ),
        ]
    )


def test_only_consented_approved_reports_of_sharing_organisations_are_published(
    world: World, publish_to: Callable[..., Any]
) -> None:
    _mixed_world(world)
    release = publish_to()
    incidents = _rows(release.directory, "incidents.csv")
    published = {i.public_id for i in Incident.objects.filter(reports__ref__in=["nnk-1", "nnk-4"])}
    assert {row["id"] for row in incidents} == published
    assert None not in published
    withheld = release.withheld
    assert withheld["reports not approved for publication"] == 1
    assert withheld["approved reports without the source's consent to publish"] == 1
    # an organisation that does not share is not described, not even by a count
    assert sum(withheld.values()) == 2 + withheld.get("place names of small groups", 0) + withheld.get(
        "ages and make-up of small groups", 0
    )
    text = (release.directory / "RELEASE.md").read_text()
    assert "reports not approved for publication: 1" in text


def test_the_release_is_a_valid_data_package_that_datasette_opens(
    world: World, publish_to: Callable[..., Any]
) -> None:
    _mixed_world(world)
    release = publish_to()
    result = validate(str(release.directory / "datapackage.json"))
    assert result.valid, result.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((release.directory / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} >= {"incidents", "violence", "aggregates", "evidence"}
    assert package["licenses"][0]["name"] == "CC-BY-4.0"

    async def browse() -> tuple[Any, Any]:
        datasette = Datasette([str(release.directory / "archive.sqlite")])
        table = await datasette.client.get("/archive/incidents.json?_shape=array")
        found = await datasette.client.get("/archive/incidents.json?_search=river&_shape=array")
        return table, found

    table, found = asyncio.run(browse())
    assert table.status_code == 200 and len(table.json()) == 2
    assert found.status_code == 200 and [row["title"] for row in found.json()] == ["Pushed back at night"]


def test_the_incident_row_carries_the_chain_the_violence_and_the_coarsened_place(
    world: World, publish_to: Callable[..., Any]
) -> None:
    _mixed_world(world)
    release = publish_to()
    first = Incident.objects.get(reports__ref="nnk-1").public_id
    row = next(r for r in _rows(release.directory, "incidents.csv") if r["id"] == first)
    assert (row["expelled_by"], row["chain_pushback"], row["expelled_to"]) == ("SI|HR", "true", "BA")
    assert row["violence"] == "beating|theft_of_belongings|dog_attack"
    assert (row["date"], row["date_precision"], row["place"]) == ("2024-03-12", "day", "Korana river")
    assert float(row["lat"]) != 45.2071 and abs(float(row["lat"]) - 45.2071) < 0.01
    assert int(row["location_precision_m"]) >= 500
    assert row["minors_involved"] == "" and row["age_bands"] == "12-17|18-24|25-34"
    violence = [v for v in _rows(release.directory, "violence.csv") if v["incident_id"] == first]
    assert [v["code"] for v in violence] == ["beating", "theft_of_belongings", "dog_attack"]


def test_a_group_of_one_is_published_to_the_month_without_its_place_or_ages(
    world: World, publish_to: Callable[..., Any]
) -> None:
    world(
        [
            report(
                "nnk-9",
                incident={
                    "date": "2024-03-12",
                    "location": {"lat": 45.2, "lon": 15.8, "place": "A farm"},
                    "group": {"size": 1, "men": 1, "ages": "17", "nationalities": ["AF"]},
                },
            )
        ]
    )
    release = publish_to()
    row = _rows(release.directory, "incidents.csv")[0]
    assert (row["date"], row["date_precision"], row["place"]) == ("2024-03", "month", "")
    assert (row["group_size"], row["men"], row["age_bands"], row["nationalities"]) == ("1", "", "", "AF")
    assert release.withheld["ages and make-up of small groups"] == 1
    assert int(row["location_precision_m"]) >= 5000


def test_files_carry_the_hashes_release_md_lists(world: World, publish_to: Callable[..., Any]) -> None:
    _mixed_world(world)
    release = publish_to()
    meta = json.loads((release.directory / "release.json").read_text())
    assert set(meta["files"]) == {p.name for p in release.directory.iterdir() if p.name != "release.json"}
    notes = (release.directory / "RELEASE.md").read_text()
    for name, info in meta["files"].items():
        data = (release.directory / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"]
        if name != "RELEASE.md":
            assert info["sha256"] in notes


def test_a_refused_publication_names_the_record_and_keeps_the_previous_release(
    world: World, publish_to: Callable[..., Any], tmp_path: Path
) -> None:
    _mixed_world(world)
    out = tmp_path / "public" / "current"
    first = publish_to(out)
    assert out.is_symlink() and current_release(out).version == first.version  # type: ignore[union-attr]
    target = Report.objects.get(ref="nnk-1")
    Evidence.objects.create(
        report=target, position=0, kind="photo", path="x.jpg", sha256="0" * 64, publish=True
    )
    with pytest.raises(PublicationRefused) as refused:
        publish_to(out)
    assert [(p.organisation, p.ref, p.field) for p in refused.value.problems] == [
        ("nnk", "nnk-1", "evidence")
    ]
    assert current_release(out).version == first.version  # type: ignore[union-attr]
    assert not [p for p in (out.parent / "current.releases").iterdir() if p.name.endswith(".partial")]


def test_a_new_release_replaces_the_link_and_old_ones_are_pruned(
    world: World, publish_to: Callable[..., Any], tmp_path: Path
) -> None:
    _mixed_world(world)
    out = tmp_path / "public" / "current"
    versions = [publish_to(out).version for _ in range(7)]
    assert current_release(out).version == versions[-1]  # type: ignore[union-attr]
    kept = sorted(p.name for p in (out.parent / "current.releases").iterdir())
    assert kept == sorted(versions)[-5:]


def test_a_directory_that_is_not_a_release_link_is_not_overwritten(
    world: World, publish_to: Callable[..., Any], tmp_path: Path
) -> None:
    _mixed_world(world)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not a release link"):
        publish_to(out)
    assert (out / "notes.txt").read_text() == "keep me"


def test_a_stricter_policy_coarsens_every_date(world: World, publish_to: Callable[..., Any]) -> None:
    _mixed_world(world)
    release = publish_to(policy=PublicationPolicy(date_precision="year", small_group_date_precision="year"))
    assert {row["date"] for row in _rows(release.directory, "incidents.csv")} == {"2024"}


def test_an_incident_told_by_iom_and_a_testimony_carries_both_attributions(
    world: World, publish_to: Callable[..., Any]
) -> None:
    shared = {"ref": "inc-shared", "date": "2021-06-02", "kind": "death", "dead": 2}
    world(
        [
            report("nnk-1", incident={**shared, "location": {"country": "HR"}}),
            report("nnk-2", kind="dataset", incident=dict(shared), source={"name": "iom-mmp"}),
            report("nnk-3"),
        ]
    )
    release = publish_to()
    rows = _rows(release.directory, "incidents.csv")
    both = next(r for r in rows if r["sources"] == "2")
    assert both["attribution"] == "bordermonitor network; IOM's Missing Migrants Project"
    assert both["licence"] == "CC-BY-4.0"
    package = json.loads((release.directory / "datapackage.json").read_text())
    assert {s["title"] for s in package["sources"]} == {
        "bordermonitor network",
        "IOM's Missing Migrants Project",
    }
    assert "IOM's Missing Migrants Project" in (release.directory / "RELEASE.md").read_text()


def test_rows_of_every_table_follow_the_incidents_date_order(
    world: World, publish_to: Callable[..., Any]
) -> None:
    world(
        [
            report(f"nnk-{n}", incident={**report("x")["incident"], "date": f"20{30 - n}-01-01"})
            for n in range(8)
        ]
    )
    release = publish_to()
    order = [r["id"] for r in _rows(release.directory, "incidents.csv")]
    assert [r["date"][:4] for r in _rows(release.directory, "incidents.csv")] == sorted(
        f"20{30 - n}" for n in range(8)
    )
    seen = list(dict.fromkeys(v["incident_id"] for v in _rows(release.directory, "violence.csv")))
    assert seen == order


def test_one_file_attached_to_two_reports_of_an_incident_is_published_once(
    world: World, publish_to: Callable[..., Any]
) -> None:
    shared = {**report("x")["incident"], "ref": "inc-twice"}
    world([report("nnk-1", incident=dict(shared)), report("nnk-2", incident=dict(shared))])
    for position, ref in enumerate(["nnk-1", "nnk-2"]):
        report_row = Report.objects.get(ref=ref)
        version, recipient = working_recipient(report_row.organisation_id)
        sealed = evidence_store().seal_bytes(b"\x89PNG\r\n\x1a\n a cleaned picture", recipient=recipient)
        evidence = Evidence.objects.create(
            report=report_row, position=position, kind="photo", path="p.png", sha256="a" * 64, publish=True,
        )  # fmt: skip
        EvidenceDerivative.objects.create(
            evidence=evidence, role="public", sha256=sealed.sha256, parent_sha256=sealed.sha256,
            media_type="image/png", size=sealed.size, tool="test", transformation="metadata stripped",
            blob=sealed.blob, key_header=sealed.key_header, key_version=version,
        )  # fmt: skip
    release = publish_to()
    files = _rows(release.directory, "evidence.csv")
    assert [f["sha256"] for f in files] == [sealed.sha256]
    assert (release.directory / files[0]["file"]).read_bytes().startswith(b"\x89PNG")
    assert _rows(release.directory, "incidents.csv")[0]["evidence"] == "1"


def test_words_of_staff_addresses_in_narratives_do_not_refuse_a_publication(
    world: World, publish_to: Callable[..., Any]
) -> None:
    User.objects.create_user(email="ana@forest.net", password="x" * 20)
    world(
        [
            report(
                "nnk-1", narrative={"text": "We walked through the forest for two nights.", "language": "en"}
            )
        ]
    )
    assert publish_to().counts["incidents"] == 1


def test_a_refusal_points_at_the_published_text_without_naming_the_other_record(
    world: World, publish_to: Callable[..., Any]
) -> None:
    world(
        [
            report("nnk-1", narrative={"text": "Qxmira Zvelka helped us cross.", "language": "en"}),
            report("rig-1", organisation="rigardu", status="submitted", known_names=["Qxmira Zvelka"]),
        ]
    )
    with pytest.raises(PublicationRefused) as refused:
        publish_to()
    problems = refused.value.problems
    assert {(p.organisation, p.ref) for p in problems} == {("nnk", "nnk-1")}
    assert all("rig" not in p.message and "Qxmira" not in str(p) for p in problems)
