"""Making a case package: a BagIt bag (SHA-256 and SHA-512 manifests) of one report or of an incident's
reports, for legal use (docs/cases.md).

Every check comes first and nothing is written until they pass: the person (a reviewer or admin of each
report's organisation, or a site administrator), the source's consent to legal use, the output directory
(absent or empty), every original's key, every custody entry's hash. The package is then built in a private
directory beside the output (mode 0700) and moved into place only once it is complete, in the transaction
that writes one ``export`` audit event per report; any failure — an original that fails its check, say —
removes it whole, so a refused export leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import bagit  # type: ignore[import-untyped]
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.core.age import Identity
from bordermonitor.core.records import ReportRecord
from bordermonitor.evidence.store import FileStore
from bordermonitor.storage.audit import Head, append, event_rows
from bordermonitor.storage.audit import head as audit_head
from bordermonitor.storage.cases.choosing import CaseRefused, Exporter, Selection, choose, exporter, key_of
from bordermonitor.storage.cases.cover import Account, Package, write_covers
from bordermonitor.storage.cases.custody import custody, write_custody
from bordermonitor.storage.cases.files import (
    OriginalFile,
    check_keys,
    evidence_of,
    write_description,
    write_files,
)
from bordermonitor.storage.evidence import evidence_store
from bordermonitor.storage.models import Evidence, Membership, Report, User
from bordermonitor.storage.models.audit import chain_time
from bordermonitor.storage.repositories.reports import record_of

__all__ = ["CHECKSUMS", "CaseExport", "OutputNotEmpty", "export_case"]

CHECKSUMS = ("sha256", "sha512")


class OutputNotEmpty(CaseRefused):
    pass


@dataclass(frozen=True, slots=True)
class CaseExport:
    """What was written: the bag's directory, the reports (``ORG:REF``), the counts and the digests the
    ``export`` audit events hold."""

    out: Path
    identifier: str
    reports: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]
    originals: int
    copies: int
    payload_files: int
    events: int
    manifest_sha256: str
    tagmanifest_sha256: str


def _software() -> str:
    try:
        own = version("bordermonitor")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        own = "unknown"
    return f"bordermonitor {own}, bagit.py {bagit.VERSION}"


def _check_output(out: Path) -> Path:
    target = out.expanduser().absolute()
    if target.is_symlink():
        raise OutputNotEmpty(f"{out} is a symbolic link: give a new or empty directory")
    if target.exists():
        if not target.is_dir():
            raise OutputNotEmpty(f"{out} exists and is not a directory: give a new or empty directory")
        if any(target.iterdir()):
            raise OutputNotEmpty(f"{out} is not empty: give a new or empty directory")
    return target


def _record_line(report: Report, files: Sequence[OriginalFile]) -> str:
    """The report as the interchange format writes it, its evidence paths naming the files in the package
    (relative to ``data/``, where the record is), so ``import jsonl data/record.jsonl`` finds them."""
    data = record_of(report)
    placed = {f.sha256: f.path for f in files if f.path}
    for item in data["evidence"]:
        if item["sha256"] in placed:
            item["path"] = placed[item["sha256"]]
    return ReportRecord.model_validate(data).to_json()


def _accounts(numbers: set[int]) -> dict[int, Account]:
    roles: dict[int, dict[str, set[str]]] = {n: {} for n in numbers}
    memberships = Membership.objects.filter(user_id__in=numbers).values_list(
        "user_id", "organisation__code", "role"
    )
    for user_id, code, role in memberships:
        roles[user_id].setdefault(code, set()).add(role)
    admins = set(User.objects.filter(pk__in=numbers, is_superuser=True).values_list("pk", flat=True))
    return {
        n: Account(n, {code: frozenset(held) for code, held in roles[n].items()}, n in admins)
        for n in numbers
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _bag_info(
    selection: Selection, files: int, originals: int, head: Head, when: dt.datetime
) -> dict[str, Any]:
    organisations = {r.organisation.code: r.organisation for r in selection.reports}
    names = [f"{o.name} ({code})" for code, o in sorted(organisations.items())]
    refs = ", ".join(key_of(r) for r in selection.reports)
    return {
        "Source-Organization": names if len(names) > 1 else names[0],
        "Contact-Name": names if len(names) > 1 else names[0],
        "External-Identifier": selection.identifier,
        "Bagging-Date": when.date().isoformat(),
        "Bagging-Time": chain_time(when),
        "Bag-Count": "1 of 1",
        "Bag-Software-Agent": _software(),
        "Internal-Sender-Identifier": selection.identifier,
        "Internal-Sender-Description": (
            f"Evidence package for legal use of {len(selection.reports)} report(s) ({refs}), each with its"
            f" source's consent to legal use: the coded records with the testimony, {originals} original(s)"
            f" exactly as received, their cleaned copies, {files} file(s) in all, and the chain of custody from"
            " the audit log. See data/cover.html."
        ),
        "Audit-Log-Head": f"seq {head.seq}, hash {head.hash}",
    }


def _export_events(
    selection: Selection,
    person: Exporter,
    files: dict[int, list[OriginalFile]],
    payload: int,
    manifest: str,
    tagmanifest: str,
    head: Head,
) -> list[dict[str, Any]]:
    """One ``export`` event per report: the package's digests and counts, who asked; nothing personal."""
    rows: list[dict[str, Any]] = []
    for report in selection.reports:
        rows += event_rows(
            "export",
            "report",
            [(report.pk, report.ref, report.organisation.code)],
            details={
                "package": "bagit",
                "by": person.actor,
                "identifier": selection.identifier,
                "reports": [r.pk for r in selection.reports],
                "originals": sorted({f.sha256 for f in files[report.pk] if f.path}),
                "files": payload,
                "manifest_sha256": manifest,
                "tagmanifest_sha256": tagmanifest,
                "custody_head": head.seq,
            },
        )
    return rows


def export_case(
    identifier: str,
    *,
    out: Path,
    by: str,
    identities: Sequence[Identity] = (),
    only_consenting: bool = False,
    as_incident: bool = False,
    store: FileStore | None = None,
) -> CaseExport:
    """Write the case package of ``identifier`` (a report's ``ORG:REF`` or ref, or an incident's ref) to the
    new or empty directory ``out``, for the person whose account is ``by``; ``identities`` open originals
    whose key their organisation keeps offline. Raises a :class:`CaseRefused` naming what is wrong, with
    nothing written."""
    with scopes_disabled():
        return _export(
            identifier,
            out=out,
            by=by,
            identities=identities,
            only_consenting=only_consenting,
            as_incident=as_incident,
            store=store or evidence_store(),
        )


def _export(
    identifier: str,
    *,
    out: Path,
    by: str,
    identities: Sequence[Identity],
    only_consenting: bool,
    as_incident: bool,
    store: FileStore,
) -> CaseExport:
    person = exporter(by)
    selection = choose(identifier, by=person, as_incident=as_incident, only_consenting=only_consenting)
    target = _check_output(out)
    evidence: dict[int, list[Evidence]] = {r.pk: evidence_of(r) for r in selection.reports}
    everything = [item for items in evidence.values() for item in items]
    check_keys(everything, identities)
    events = custody([r.pk for r in selection.reports], [e.pk for e in everything])
    head = audit_head()
    now = timezone.now()

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        written: dict[str, int] = {}
        files: dict[int, list[OriginalFile]] = {
            report.pk: write_files(
                work, evidence[report.pk], store=store, identities=identities, events=events, written=written
            )
            for report in selection.reports
        }
        described = [f for report in selection.reports for f in files[report.pk]]
        with (work / "record.jsonl").open("x", encoding="utf-8") as records:
            for report in selection.reports:
                records.write(_record_line(report, files[report.pk]) + "\n")
        write_description(work / "evidence.json", described)
        write_custody(work / "custody.jsonl", events, head)
        numbers = {person.user.pk} | {f.received.account for f in described if f.received.account is not None}
        package = Package(
            identifier=selection.identifier,
            exported_at=chain_time(now),
            software=_software(),
            exporter=person,
            reports=selection.reports,
            files=files,
            accounts=_accounts(numbers),
            events=len(events),
            head=head,
            left_out=len(selection.left_out),
        )
        write_covers(work, package, preferred=person.user.language)
        originals = len({f.path for f in described if f.path})
        copies = len({c.path for f in described for c in f.copies})
        payload = sum(1 for path in work.rglob("*") if path.is_file())
        info = _bag_info(selection, payload, originals, head, now)
        bagit.make_bag(str(work), info, processes=1, checksums=list(CHECKSUMS))
        manifest, tagmanifest = (
            _digest(work / "manifest-sha256.txt"),
            _digest(work / "tagmanifest-sha256.txt"),
        )
        rows = _export_events(selection, person, files, payload, manifest, tagmanifest, head)
        with transaction.atomic():
            append(rows)
            os.replace(work, target)  # an empty directory is replaced; a non-empty one refuses
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return CaseExport(
        out=target,
        identifier=selection.identifier,
        reports=tuple(key_of(r) for r in selection.reports),
        left_out=selection.left_out,
        originals=originals,
        copies=copies,
        payload_files=payload,
        events=len(events),
        manifest_sha256=manifest,
        tagmanifest_sha256=tagmanifest,
    )
