"""The cover sheet of a case package (``cover.html`` and ``cover.txt``): what the package holds, each file's
digest, size, type, when and by whom (a role in an organisation, never a name) it was received, its copies and
the tools that made them, how to verify it all, and who exported it when.

It shows nothing the record does not hold: references, codes, digests, sizes, times and account numbers, no
title, testimony or name. The sheet is written in English and, when the exporter's account has another
language, in that language too (``cover.<lang>.html``), by a standalone template engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import ngettext as _ngettext

from bordermonitor.storage.audit import Head
from bordermonitor.storage.cases.choosing import Exporter, key_of
from bordermonitor.storage.cases.files import OriginalFile
from bordermonitor.storage.models import Report
from bordermonitor.storage.models.accounts import ROLES

__all__ = ["CUSTODY_CHECK", "Account", "Cover", "Facts", "Section", "write_covers"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})

CUSTODY_CHECK = """python3 - data/custody.jsonl <<'EOF'
import hashlib, json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    if "seq" not in e:
        print("head of the log at export:", e["head"]); continue
    message = ["bordermonitor-audit/1", e["seq"], e["at"], e["actor"], e["organisation"], e["action"],
               e["object_type"], e["object_id"], e["object_ref"], e["details"], e["prev_hash"]]
    text = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    print(e["seq"], "ok" if hashlib.sha256(text.encode()).hexdigest() == e["hash"] else "BROKEN")
EOF"""
"""A check of every custody entry's hash that needs nothing but Python (docs/audit.md has the recipe)."""


def _(text: str) -> str:
    return str(gettext(text))


def ngettext(singular: str, plural: str, count: int) -> str:
    return str(_ngettext(singular, plural, count))


@cache
def engine() -> Engine:
    return Engine(dirs=[str(TEMPLATES)], libraries={"i18n": "django.templatetags.i18n"}, autoescape=True)


@dataclass(frozen=True, slots=True)
class Facts:
    """Label and value pairs; ``code`` values are shown as commands or digests."""

    rows: list[tuple[str, str]]
    title: str | None = None
    code: frozenset[str] = frozenset()
    kind: str = "facts"


@dataclass(frozen=True, slots=True)
class Table:
    head: list[str]
    rows: list[list[str]]
    title: str | None = None
    kind: str = "table"

    @property
    def labelled(self) -> list[list[tuple[str, str]]]:
        """Each row as (label, cell) pairs, for the text sheet."""
        return [list(zip(self.head, row, strict=True)) for row in self.rows]


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    code: bool = False

    @property
    def kind(self) -> str:
        return "code" if self.code else "text"


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    items: list[Facts | Table | Text] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Cover:
    language: str
    right_to_left: bool
    title: str
    introduction: list[str]
    sections: list[Section]


@dataclass(frozen=True, slots=True)
class Account:
    """What the sheet says of an account: its number and its roles in each organisation (by code)."""

    number: int
    roles: Mapping[str, frozenset[str]]
    site_admin: bool = False


@dataclass(frozen=True, slots=True)
class Package:
    """Everything the sheet describes, gathered by the export."""

    identifier: str
    exported_at: str
    software: str
    exporter: Exporter
    reports: Sequence[Report]
    files: Mapping[int, Sequence[OriginalFile]]  # report id → its evidence files
    accounts: Mapping[int, Account]  # account number → roles (the exporter's and the receivers')
    events: int
    head: Head
    left_out: int


def _role_names(roles: frozenset[str]) -> str:
    labels = dict(ROLES)
    return ", ".join(str(labels.get(role, role)) for role in sorted(roles))


def _account(account: Account | None, number: int | None, organisation: str) -> str:
    if number is None:
        return _("an import or a command on the server (no account)")
    held = account.roles.get(organisation, frozenset()) if account is not None else frozenset()
    if held:
        return _("%(roles)s of %(organisation)s (account %(number)s)") % {
            "roles": _role_names(held),
            "organisation": organisation,
            "number": number,
        }
    if account is not None and account.site_admin:
        return _("a site administrator (account %(number)s)") % {"number": number}
    return _("account %(number)s, which holds no role in %(organisation)s now") % {
        "number": number,
        "organisation": organisation,
    }


def _exporter(package: Package) -> str:
    account = package.accounts.get(package.exporter.user.pk)
    organisations = sorted({r.organisation.code for r in package.reports})
    return "; ".join(
        dict.fromkeys(_account(account, package.exporter.user.pk, code) for code in organisations)
    )


def _size(size: int | None) -> str:
    if size is None:
        return _("not known")
    return ngettext("%(n)s byte", "%(n)s bytes", size) % {"n": size}


def _contents() -> Table:
    return Table(
        title=_("What the package holds"),
        head=[_("File"), _("What it holds")],
        rows=[
            [
                "data/record.jsonl",
                _(
                    "The coded records, as the interchange format writes them (one JSON object a line), the "
                    "testimony included; their evidence paths name the files of this package."
                ),
            ],
            [
                "data/originals/",
                _("The evidence files exactly as they were received, named by their SHA-256."),
            ],
            [
                "data/derivatives/",
                _(
                    "The cleaned copies made from them (working copy, thumbnail, public copy), named by role and SHA-256."
                ),
            ],
            [
                "data/evidence.json",
                _(
                    "Each evidence file: digest, size, type, when it was received, and how each copy was made."
                ),
            ],
            [
                "data/custody.jsonl",
                _(
                    "Every audit log entry about these reports and their files, then the head of the audit log "
                    "when the package was made."
                ),
            ],
            ["data/cover.html, data/cover.txt", _("This sheet.")],
            [
                "manifest-sha256.txt, manifest-sha512.txt",
                _("The SHA-256 and SHA-512 of every file under data/."),
            ],
            [
                "bagit.txt, bag-info.txt, tagmanifest-sha256.txt, tagmanifest-sha512.txt",
                _("The package's own description (BagIt), and the digests of these files."),
            ],
        ],
    )


def _report_section(package: Package, report: Report) -> Section:
    organisation = report.organisation
    items: list[Facts | Table | Text] = [
        Facts(
            rows=[
                (_("Organisation"), f"{organisation.name} ({organisation.code})"),
                (_("Reference"), report.ref),
                (_("Incident"), report.incident.ref),
                (_("Kind"), report.kind),
                (_("Recorded on"), report.recorded_on.isoformat() if report.recorded_on else _("not known")),
                (_("Status"), report.status),
                (_("Consent to legal use"), _("given by the source")),
            ]
        )
    ]
    files = package.files.get(report.pk, ())
    if not files:
        items.append(Text(_("This report has no evidence file.")))
    for number, item in enumerate(files, start=1):
        received = item.received
        account = package.accounts.get(received.account) if received.account is not None else None
        rows = [
            (
                _("File"),
                f"data/{item.path}"
                if item.path
                else _("not in the package: the file was never received (missing or refused at import)"),
            ),
            (_("SHA-256, taken when it was received"), item.sha256),
            (_("Size"), _size(item.size)),
            (_("Type (read from its content)"), item.media_type or _("not identified")),
            (_("Received"), received.at),
            (_("Received by"), _account(account, received.account, organisation.code)),
            (
                _("Audit log entry"),
                str(received.seq) if received.seq is not None else _("none names this file's receipt"),
            ),
        ]
        title = _("Evidence %(number)s: %(kind)s") % {"number": number, "kind": item.kind}
        items.append(Facts(rows=rows, title=title, code=frozenset({rows[0][1], item.sha256})))
        roles = {"working": _("working copy"), "thumbnail": _("thumbnail"), "public": _("public copy")}
        for copy in item.copies:
            copied = [
                (_("File"), f"data/{copy.path}"),
                (_("SHA-256"), copy.sha256),
                (_("Made from (SHA-256)"), copy.parent_sha256),
                (_("Size"), _size(copy.size)),
                (_("Type"), copy.media_type),
                (_("Tool"), copy.tool),
                (_("What was done"), copy.transformation),
                (_("Made"), copy.made_at),
            ]
            items.append(
                Facts(
                    rows=copied,
                    title=_("Evidence %(number)s, %(copy)s")
                    % {"number": number, "copy": roles.get(copy.role, copy.role)},
                    code=frozenset({f"data/{copy.path}", copy.sha256, copy.parent_sha256}),
                )
            )
    return Section(title=_("Report %(ref)s") % {"ref": key_of(report)}, items=items)


def _verify_section(package: Package) -> Section:
    head = package.head
    return Section(
        title=_("How to verify this package"),
        items=[
            Text(
                _(
                    "1. The package. Every file under data/ is listed with its SHA-256 and SHA-512 in the "
                    "manifests, and the tag manifests cover the manifests and bag-info.txt. Check them all with "
                    "the BagIt tool (pip install bagit), or with the usual checksum tools:"
                )
            ),
            Text("bagit.py --validate PACKAGE", code=True),
            Text(
                "cd PACKAGE && sha256sum -c manifest-sha256.txt && sha512sum -c manifest-sha512.txt"
                " && sha256sum -c tagmanifest-sha256.txt",
                code=True,
            ),
            Text(
                _(
                    "2. The originals. The SHA-256 of each original was computed from its bytes as they were "
                    "received, before anything else was done with them; it is given above and in the record. "
                    "Compute it again and compare:"
                )
            ),
            Text("sha256sum data/originals/*", code=True),
            Text(
                _(
                    "3. The chain of custody. Each line of data/custody.jsonl is an entry of the organisation's "
                    'audit log. Its hash is the SHA-256 of the JSON array ["bordermonitor-audit/1", seq, at, '
                    "actor, organisation, action, object_type, object_id, object_ref, details, prev_hash], "
                    "written without spaces, with keys sorted and non-ASCII characters as they are; prev_hash is "
                    "the hash of the entry before it in the whole log. This checks every entry:"
                )
            ),
            Text(CUSTODY_CHECK, code=True),
            Text(
                _(
                    "The last line is the head of the audit log when the package was made (entry %(seq)s, hash "
                    "%(hash)s): the organisation can show that its log still holds that entry with that hash "
                    "(bordermonitor audit verify --heads). Right after the package was made, an export entry "
                    "was written to the log for each report, holding the SHA-256 of this package's "
                    "tagmanifest-sha256.txt."
                )
                % {"seq": head.seq, "hash": head.hash}
            ),
            Text(
                _(
                    'Actors in the log are account numbers (user:<number>), "cli" for a command run on the '
                    'server, or "system"; the organisation keeps who holds each account.'
                )
            ),
        ],
    )


def cover(package: Package, language: str) -> Cover:
    """The sheet's content in ``language`` (translated where a translation exists)."""
    with translation.override(language):
        count = len(package.reports)
        originals = sum(1 for files in package.files.values() for f in files if f.path)
        copies = sum(len(f.copies) for files in package.files.values() for f in files)
        introduction = [
            ngettext(
                "This package was exported for legal use. It holds %(n)s report whose source consented to "
                "legal use, its evidence files exactly as they were received, the cleaned copies made from "
                "them, and the chain of custody of each.",
                "This package was exported for legal use. It holds %(n)s reports whose sources consented to "
                "legal use, their evidence files exactly as they were received, the cleaned copies made from "
                "them, and the chain of custody of each.",
                count,
            )
            % {"n": count},
            _(
                "It contains testimony and files that can identify people: keep it as confidential as the "
                "records themselves, and share it only for the legal use the source consented to."
            ),
        ]
        facts = [
            (_("Identifier"), package.identifier),
            (_("Exported"), package.exported_at),
            (_("Exported by"), _exporter(package)),
            (_("Software"), package.software),
            (_("Reports"), str(count)),
            (_("Originals"), str(originals)),
            (_("Copies"), str(copies)),
            (_("Audit log entries"), str(package.events)),
        ]
        if package.left_out:
            facts.append(
                (
                    _("Left out"),
                    ngettext(
                        "%(n)s other report of this incident, whose source did not consent to legal use",
                        "%(n)s other reports of this incident, whose sources did not consent to legal use",
                        package.left_out,
                    )
                    % {"n": package.left_out},
                )
            )
        sections = [
            Section(title=_("This package"), items=[Facts(rows=facts), _contents()]),
            *(_report_section(package, report) for report in package.reports),
            _verify_section(package),
        ]
        return Cover(
            language=language,
            right_to_left=language.split("-")[0] in RIGHT_TO_LEFT,
            title=_("Evidence package %(identifier)s") % {"identifier": package.identifier},
            introduction=introduction,
            sections=sections,
        )


def languages(preferred: str | None) -> list[str]:
    """English, then the exporter's language if the site offers it and it is another."""
    offered = {code for code, _name in settings.LANGUAGES}
    wanted = ["en"]
    if preferred and preferred != "en" and preferred in offered:
        wanted.append(preferred)
    return wanted


def write_covers(root: Path, package: Package, *, preferred: str | None) -> list[str]:
    """Write ``cover.html`` and ``cover.txt`` (English), and ``cover.<lang>.*`` in the exporter's language;
    returns the names written."""
    names = []
    for language in languages(preferred):
        sheet = cover(package, language)
        suffix = "" if language == "en" else f".{language}"
        for extension in ("html", "txt"):
            with translation.override(language):
                text = engine().get_template(f"cases/cover.{extension}").render(Context({"cover": sheet}))
            name = f"cover{suffix}.{extension}"
            (root / name).write_text(text, encoding="utf-8")
            names.append(name)
    return names
