"""The ``bordermonitor`` command: thin shells over library calls, each with an example in its help."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import click

from bordermonitor.core.records import STATUSES

__all__ = ["main"]

ROLE_NAMES = ("documenter", "reviewer", "coordinator", "analyst", "admin")


def _django() -> None:
    """Configure Django once, on first use (so ``--help`` stays fast and needs no database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bordermonitor.web.settings")
    import django

    django.setup()


@contextmanager
def _network() -> Iterator[None]:
    """Commands act for the whole network (as an administrator on the server would), attributed to 'cli'."""
    _django()
    from django_scopes import scopes_disabled

    from bordermonitor.storage.audit import acting_as

    with scopes_disabled(), acting_as("cli"):
        yield


def _store() -> Any:
    from django.conf import settings

    from bordermonitor.evidence.store import FileStore

    return FileStore(settings.BORDERMONITOR.evidence_dir)


def _organisation_code(value: str) -> str:
    """An organisation code as stored: lower case, letters, digits, '-' and '_'."""
    code = value.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", code):
        raise click.BadParameter(
            f"{value!r} is not an organisation code (letters, digits, '-', '_'; e.g. nnk)"
        )
    return code


def _organisation_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return None if value is None else _organisation_code(value)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="bordermonitor")
def main() -> None:
    """bordermonitor: the shared database of a network documenting violence at borders.

    The database comes from DATABASE_URL (default: SQLite under BORDERMONITOR_DATA_DIR, ./var);
    evidence files are kept under BORDERMONITOR_DATA_DIR.

    \b
    Example:
        bordermonitor init
        bordermonitor import mmp data/mmp/Missing_Migrants_Global_Figures_2022-02.csv --organisation mmp
        bordermonitor stats --json
    """


@main.command()
def init() -> None:
    """Create or migrate the database (safe to run again).

    \b
    Example:
        DATABASE_URL=postgresql://postgres@127.0.0.1/bordermonitor bordermonitor init
    """
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    click.echo("database ready")


@main.group()
def org() -> None:
    """Member organisations of the network.

    \b
    Example:
        bordermonitor org add rigardu --name "Rigardu"
    """


@org.command("add")
@click.argument("code")
@click.option("--name", required=True, help="Full name of the organisation.")
@click.option(
    "--share-with-network/--no-share-with-network",
    "share",
    default=None,
    help="Let network coordinators see its reports whose source consented to sharing (default: unchanged; "
    "a new organisation does not share).",
)
def org_add(code: str, name: str, share: bool | None) -> None:
    """Add an organisation by its short CODE (or rename an existing one).

    \b
    Example:
        bordermonitor org add nnk --name "No Name Kitchen" --share-with-network
    """
    code = _organisation_code(code)
    with _network():
        from bordermonitor.storage.accounts import add_organisation

        organisation, created = add_organisation(code=code, name=name, shares_with_network=share)
    sharing = "shares" if organisation.shares_with_network else "does not share"
    click.echo(
        f"{'added' if created else 'updated'} organisation {organisation.code}: {organisation.name} "
        f"({sharing} with the network)"
    )


@org.command("set")
@click.argument("code")
@click.option(
    "--auto-link/--no-auto-link",
    "auto_link",
    required=True,
    help="Let `crosscheck --auto-threshold` link this organisation's reports without review (both "
    "organisations of a pair must allow it).",
)
def org_set(code: str, auto_link: bool) -> None:
    """Change a setting of the organisation CODE.

    \b
    Example:
        bordermonitor org set nnk --auto-link
    """
    code = _organisation_code(code)
    with _network():
        from bordermonitor.storage.accounts import UnknownOrganisation
        from bordermonitor.storage.linkage import set_auto_link

        try:
            organisation = set_auto_link(code=code, enabled=auto_link)
        except UnknownOrganisation as exc:
            raise click.ClickException(str(exc)) from exc
    state = "may" if organisation.auto_link else "may not"
    click.echo(f"cross-checking {state} link {organisation.code}'s reports without review")


@main.group()
def user() -> None:
    """Person accounts and their roles.

    \b
    Example:
        bordermonitor user add documenter@example.org --organisation nnk --role documenter
    """


@user.command("add")
@click.argument("email")
@click.option("--organisation", "organisation", required=True, help="Organisation code.")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True, help="Role in that organisation.")
@click.option(
    "--site-admin",
    is_flag=True,
    help="Also the network's technical administrator: the administration site, across every organisation.",
)
def user_add(email: str, organisation: str, role: str, site_admin: bool) -> None:
    """Add an account (or a role to an existing one); a new account's password is printed once.

    Roles hold in their organisation only (an `admin` of one organisation sees nothing of another's).

    \b
    Example:
        bordermonitor user add reviewer@example.org --organisation nnk --role reviewer
    """
    with _network():
        from bordermonitor.storage.accounts import UnknownOrganisation, add_user

        try:
            account, password = add_user(
                email=email, organisation=organisation, role=role, site_admin=site_admin
            )
        except UnknownOrganisation as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{account.email} is {role} of {organisation}")
    if password:
        click.echo(f"password (shown once): {password}")


@user.command("reset-second-factor")
@click.argument("email")
def user_reset_second_factor(email: str) -> None:
    """Remove an account's authenticator app and recovery codes (a lost phone) and end its open sessions; the
    person sets up a new one at their next sign-in.

    \b
    Example:
        bordermonitor user reset-second-factor reviewer@example.org
    """
    with _network():
        from bordermonitor.storage.accounts import reset_second_factor

        account = reset_second_factor(email=email)
    if account is None:
        raise click.ClickException(f"no account {email!r}")
    click.echo(f"{account.email}: second factor removed and sessions ended; set up again at the next sign-in")


@main.group("import")
def import_() -> None:
    """Import records: interchange JSONL, the BVMN legacy database, IOM Missing Migrants CSV.

    \b
    Example:
        bordermonitor import jsonl exchange/nnk-2024.jsonl
    """


def _run_import(module: ModuleType, path: Path, **options: Any) -> None:
    from bordermonitor.storage.imports import run_import_file

    size = path.stat().st_size
    show = sys.stderr.isatty()
    with click.progressbar(
        length=size, label=f"importing {path.name}", file=sys.stderr, hidden=not show
    ) as bar:
        done = 0

        def progress(position: int) -> None:
            nonlocal done
            if position > done:
                bar.update(position - done)
                done = position

        try:
            summary = run_import_file(
                module.__name__, path, store=_store(), options=options, progress=progress
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    for line in summary.lines():
        click.echo(line)


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@import_.command("jsonl")
@click.argument("file", type=_FILE)
@click.option(
    "--organisation", help="Import every record as this organisation's (default: each record's own)."
)
def import_jsonl(file: Path, organisation: str | None) -> None:
    """Import interchange format v1 (JSON Lines); evidence files are read relative to FILE.

    Unknown organisations are created, with a warning. A report already stored (same organisation and ref)
    is replaced by the imported version.

    \b
    Example:
        bordermonitor import jsonl exchange/nnk-2024.jsonl
    """
    from bordermonitor.importers import jsonl

    with _network():
        _run_import(jsonl, file, organisation=organisation)


@import_.command("bvmn")
@click.argument("file", type=_FILE)
@click.option(
    "--organisation",
    required=True,
    callback=_organisation_option,
    help="Organisation code the legacy records belong to.",
)
def import_bvmn(file: Path, organisation: str) -> None:
    """Import the BVMN legacy database (SQLite file with table `reports`, or CSV with its 22 columns).

    The records were public already: they import approved for publication, with consent to publish.
    Reporting members named in `incident_author` are added as organisations.

    \b
    Example:
        bordermonitor import bvmn legacy/bvmn.sqlite --organisation bvmn
    """
    from bordermonitor.importers import bvmn

    with _network():
        from bordermonitor.storage.imports import ensure_organisation

        try:
            authors = bvmn.author_organisations(file)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        for name, code in authors.items():
            ensure_organisation(code, name=name)
        _run_import(bvmn, file, organisation=organisation)


@import_.command("mmp")
@click.argument("file", type=_FILE)
@click.option(
    "--organisation",
    default="mmp",
    show_default=True,
    callback=_organisation_option,
    help="Organisation code for the dataset.",
)
def import_mmp(file: Path, organisation: str) -> None:
    """Import an IOM Missing Migrants Project CSV (any known header variant; UTF-8, UTF-8 BOM or cp1252).

    Rows import as verified reports of kind `dataset`. The data is CC BY 4.0, "IOM's Missing Migrants Project".

    \b
    Example:
        bordermonitor import mmp data/mmp/Missing_Migrants_Global_Figures_2022-02.csv
    """
    from bordermonitor.importers import mmp

    with _network():
        from bordermonitor.storage.imports import ensure_organisation

        ensure_organisation(organisation, name="IOM Missing Migrants Project")
        _run_import(mmp, file, organisation=organisation)


@main.group()
def export() -> None:
    """Export records.

    \b
    Example:
        bordermonitor export jsonl --out exchange/all.jsonl
    """


@export.command("jsonl")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: standard output)."
)
@click.option("--organisation", callback=_organisation_option, help="Only this organisation's reports.")
@click.option(
    "--identity",
    "identity_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --out: the identity file that opens originals whose key is held offline (its passphrase is "
    "asked, or read from BORDERMONITOR_IDENTITY_PASSPHRASE).",
)
def export_jsonl(out: Path | None, organisation: str | None, identity_file: Path | None) -> None:
    """Export interchange format v1, lossless; with --out, evidence originals are checked and copied beside
    the file.

    \b
    Example:
        bordermonitor export jsonl --out exchange/all.jsonl --organisation nnk
    """
    with _network():
        from bordermonitor.commands.evidence import read_identities
        from bordermonitor.storage.exports import EvidenceNotExported
        from bordermonitor.storage.exports import export_jsonl as write

        if out is None:
            count = write(sys.stdout, store=_store(), organisation=organisation)
            click.echo(f"exported {count} reports (evidence files are copied only with --out)", err=True)
            return
        identities = read_identities(identity_file)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as handle:
            try:
                count = write(
                    handle,
                    store=_store(),
                    organisation=organisation,
                    evidence_root=out.parent,
                    identities=identities,
                )
            except EvidenceNotExported as exc:
                raise click.ClickException(str(exc)) from exc
    click.echo(f"exported {count} reports to {out}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the only format for now).")
@click.option("--from", "date_from", help="First day of the period (YYYY-MM-DD), by incident date.")
@click.option("--to", "date_to", help="Last day of the period (YYYY-MM-DD), by incident date.")
@click.option(
    "--organisation", callback=_organisation_option, help="Only incidents reported by this organisation."
)
@click.option("--source", help="Only reports from this source (e.g. iom-mmp, bvmn-legacy).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Count reports in these statuses (repeatable; default: all but draft and rejected).",
)
def stats(
    as_json: bool, date_from: str | None, date_to: str | None, organisation: str | None, source: str | None,
    statuses: tuple[str, ...],
) -> None:  # fmt: skip
    """Figures of the network: incidents (each counted once), people affected, dead, missing, by year,
    violence type, expelling state, nationality and cause of death.

    \b
    Example:
        bordermonitor stats --json --from 2019-01-01 --to 2019-12-31 --source iom-mmp
    """
    start, end = _date(date_from), _date(date_to)
    if start and end and start > end:
        raise click.BadParameter(f"--from {date_from} is after --to {date_to}")
    with _network():
        from bordermonitor.storage.models import Organisation
        from bordermonitor.storage.statistics import network_stats

        if organisation and not Organisation.objects.filter(code=organisation).exists():
            raise click.BadParameter(f"no organisation {organisation!r}", param_hint="--organisation")
        figures = network_stats(
            date_from=start, date_to=end, organisation=organisation, source=source,
            statuses=statuses or None,
        )  # fmt: skip
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
        return
    for key in ("reports", "incidents", "people_affected", "dead", "missing", "minors_involved", "unmapped"):
        click.echo(f"{key.replace('_', ' ')}: {figures[key]}")
    click.echo("by year: " + ", ".join(f"{y} {v['incidents']}" for y, v in figures["by_year"].items()))


@main.group()
def report() -> None:
    """The network's monthly and annual reports (PDF, HTML or JSON): headline figures, comparisons,
    expelling states and chains, violence, nationalities, a map, the monitoring matrix, notable cases and a
    methods note. Counts verified and approved reports; every table under disclosure control.

    \b
    Example:
        bordermonitor report monthly --month 2019-05 --format pdf --out reports/2019-05.pdf
    """


def _case(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    cases = []
    for value in values:
        code, sep, ref = value.partition(":")
        if not sep or not ref.strip():
            raise click.BadParameter(f"{value!r} is not ORG:REF (e.g. nnk:nnk-2019-0044)")
        cases.append((_organisation_code(code), ref.strip()))
    return tuple(cases)


def _report_options(command: Any) -> Any:
    for option in reversed(
        (
            click.option(
                "--format",
                "fmt",
                type=click.Choice(("pdf", "html", "json")),
                required=True,
                help="File format.",
            ),
            click.option(
                "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write."
            ),
            click.option(
                "--language",
                type=click.Choice(("en", "fr", "ar", "fa")),
                default="en",
                show_default=True,
                help="Language of the report (ar and fa right to left).",
            ),
            click.option(
                "--organisation", callback=_organisation_option, help="Only this organisation's reports."
            ),
            click.option(
                "--case",
                "cases",
                multiple=True,
                callback=_case,
                help="A notable case to quote, ORG:REF (repeatable): its approved public title and an excerpt "
                "of its approved public narrative.",
            ),
        )
    ):
        command = option(command)
    return command


def _write_report(
    kind: str, token: str, fmt: str, out: Path, language: str, organisation: str | None,
    cases: tuple[tuple[str, str], ...], option: str,
) -> None:  # fmt: skip
    with _network():
        from django.conf import settings

        from bordermonitor.reporting import Period, ReportRequest, build
        from bordermonitor.storage.models import Organisation
        from bordermonitor.storage.reporting import NotNotable, record_report_file

        try:
            period = Period.parse(kind, token)  # type: ignore[arg-type]
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint=option) from None
        if organisation and not Organisation.objects.filter(code=organisation).exists():
            raise click.BadParameter(f"no organisation {organisation!r}", param_hint="--organisation")
        request = ReportRequest(period, fmt, language, organisation, cases)  # type: ignore[arg-type]
        try:
            content = build(
                request,
                policy=settings.BORDERMONITOR_PUBLICATION_POLICY,
                progress=lambda line: click.echo(line),
            )
        except NotNotable as error:
            raise click.BadParameter(str(error), param_hint="--case") from None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        record_report_file("create", out.name, organisation=organisation, details=request.describe())
    click.echo(f"wrote the {kind} report for {period.token} ({fmt}, {language}) to {out}")


@report.command("monthly")
@click.option("--month", required=True, help="The month, YYYY-MM (by incident date).")
@_report_options
def report_monthly(
    month: str,
    fmt: str,
    out: Path,
    language: str,
    organisation: str | None,
    cases: tuple[tuple[str, str], ...],
) -> None:
    """The report of one month, compared with the month before and the same month a year earlier; the
    matrix's situations of the three months ending with it.

    \b
    Example:
        bordermonitor report monthly --month 2019-05 --format pdf --language fr --out reports/2019-05-fr.pdf
    """
    _write_report("monthly", month, fmt, out, language, organisation, cases, "--month")


@report.command("annual")
@click.option("--year", required=True, help="The year, YYYY (by incident date).")
@_report_options
def report_annual(
    year: str,
    fmt: str,
    out: Path,
    language: str,
    organisation: str | None,
    cases: tuple[tuple[str, str], ...],
) -> None:
    """The report of one year, compared with the year before, with incidents per month; the matrix's
    situations of the year.

    \b
    Example:
        bordermonitor report annual --year 2019 --format html --case nnk:nnk-2019-0044 --out reports/2019.html
    """
    _write_report("annual", year, fmt, out, language, organisation, cases, "--year")


@main.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where the release is served from: a link to the newest release, switched atomically "
    "(default: BORDERMONITOR_RELEASE_DIR, else <data dir>/public/current).",
)
@click.option(
    "--dry-run", is_flag=True, help="Say what would be published and what would refuse it; write nothing."
)
def publish(out: Path | None, dry_run: bool) -> None:
    """Publish the open-data release: consented, approved reports of organisations that share with the network,
    anonymised by the publication policy (CSV, GeoJSON, SQLite, a Frictionless Data Package and RELEASE.md).

    A publication that fails a check is refused with the records at fault, and the previous release stays.

    \b
    Example:
        bordermonitor publish --out var/public/current && frictionless validate var/public/current/datapackage.json
    """
    with _network():
        from django.conf import settings

        from bordermonitor.publish.release import PublicationRefused, plan
        from bordermonitor.publish.release import publish as run

        policy = settings.BORDERMONITOR_PUBLICATION_POLICY
        if dry_run:
            result = plan(policy=policy)
            for key, value in result.counts.items():
                click.echo(f"{key}: {value}")
            for reason, count in result.withheld.items():
                click.echo(f"withheld, {reason}: {count}")
            for problem in result.problems:
                click.echo(f"would refuse: {problem}", err=True)
            raise SystemExit(1 if result.problems else 0)
        try:
            release = run(
                out=out or settings.BORDERMONITOR_RELEASE_DIR, policy=policy, actor="cli", progress=click.echo
            )
        except PublicationRefused as refused:
            for problem in refused.problems:
                click.echo(f"refused: {problem}", err=True)
            raise click.ClickException(
                f"publication refused ({len(refused.problems)} problem(s)); the previous release is still served"
            ) from None
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    counts = ", ".join(
        f"{value} {key}" for key, value in release.counts.items() if not key.startswith("suppressed")
    )
    click.echo(f"published release {release.version}: {counts}")


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value + "-01")
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a month (YYYY-MM)") from exc


@main.command()
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object: the ranked situations and their criteria."
)
@click.option(
    "--period", help="Last month of the period (YYYY-MM; default: the latest month with a counted incident)."
)
@click.option(
    "--months", default=3, show_default=True, type=click.IntRange(1, 120), help="Length of the period."
)
@click.option("--organisation", callback=_organisation_option, help="Only this organisation's reports.")
@click.option(
    "--weights", help="Weights of the criteria, e.g. frequency=0.4,influence=0.1 (default: settings)."
)
@click.option(
    "--top", default=20, show_default=True, type=click.IntRange(1), help="Situations to list (text only)."
)
def matrix(
    as_json: bool, period: str | None, months: int, organisation: str | None, weights: str | None, top: int
) -> None:
    """The monitoring matrix: situations of violence (perpetrator × border area × violence type) of a period,
    ranked by frequency and trend, intensity and vulnerability, identification, and ability to influence, with
    what each score was computed from, and the incident rate before and after each adopted action plan.
    Counts verified and approved reports.

    \b
    Example:
        bordermonitor matrix --json --period 2019-05 --months 3
    """
    from bordermonitor.core.matrix import Weights, WeightsError

    try:
        chosen = Weights.parse(weights) if weights else None
    except WeightsError as error:
        raise click.BadParameter(str(error), param_hint="--weights") from None
    end = _month(period)
    with _network():
        from bordermonitor.storage.matrix import build_matrix

        result = build_matrix(period=end, months=months, weights=chosen, organisation=organisation)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    click.echo(
        f"{result.start} to {result.end}: {result.incidents} incidents in {len(result.situations)} situations"
    )
    for rank, situation in enumerate(result.situations[:top], 1):
        values = " ".join(f"{name[:4]} {c.value:.2f}" for name, c in situation.criteria.items())
        click.echo(
            f"{rank:>3}. {situation.priority:.2f}  {situation.actor_name} · {situation.area_name} · "
            f"{situation.violence_label}: {situation.incidents} incident{'s' if situation.incidents != 1 else ''} ({values})"
        )
    for plan in result.plans:
        click.echo(
            f"action plan {plan.title!r} ({plan.stakeholder}, adopted {plan.adopted_on}): "
            f"{sum(plan.before_counts)} incidents in {len(plan.before_counts)} months before, "
            f"{sum(plan.after_counts)} in {len(plan.after_counts)} months after"
        )


@main.command()
@click.option(
    "--since", help="Only pairs with a report created or changed since this day (YYYY-MM-DD; default: all)."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: the threshold and every pair considered, with its score and agreements.",
)
@click.option(
    "--auto-threshold",
    type=float,
    help="Link pairs scoring at least this (from the proposal threshold to 1) without review, only where "
    "both organisations allow it (bordermonitor org set CODE --auto-link).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=min(2, os.cpu_count() or 1),
    show_default=True,
    help="Processes that score the pairs (the batch over the whole database).",
)
def crosscheck(since: str | None, as_json: bool, auto_threshold: float | None, workers: int) -> None:
    """Cross-check the reports: find pairs that may describe the same incident (date, place, expelling states,
    group, nationalities, violence, perpetrators, narrative), score them, and propose those at or above the
    threshold to reviewers. Pairs of one organisation, or of two when the network sees both reports.

    \b
    Example:
        bordermonitor crosscheck --since 2024-05-01 --json
    """
    start = _date(since)
    with _network():
        from bordermonitor.storage.linkage import DEFAULT_THRESHOLD, ScoredPair
        from bordermonitor.storage.linkage import crosscheck as run

        if auto_threshold is not None and not DEFAULT_THRESHOLD <= auto_threshold <= 1:
            raise click.BadParameter(
                f"{auto_threshold:g} is not from the proposal threshold {DEFAULT_THRESHOLD:g} to 1",
                param_hint="--auto-threshold",
            )
        first = True

        def write(pair: ScoredPair) -> None:  # one pair at a time: the list can be long
            nonlocal first
            click.echo(("" if first else ", ") + json.dumps(pair.as_json(), ensure_ascii=False), nl=False)
            first = False

        def progress(line: str) -> None:
            if sys.stderr.isatty():
                click.echo(line, err=True)

        if as_json:
            click.echo(f'{{"threshold": {json.dumps(DEFAULT_THRESHOLD)}, "pairs": [', nl=False)
        result = run(
            since=start,
            auto_threshold=auto_threshold,
            progress=progress,
            on_pair=write if as_json else None,
            workers=workers,
        )
        if as_json:
            click.echo("]}")
    for line in result.lines():
        click.echo(line, err=as_json)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--public-port",
    type=int,
    default=None,
    help="Also serve the public site (the open archive) on this port, in a process of its own.",
)
def serve(host: str, port: int, public_port: int | None) -> None:
    """Serve the staff web application (waitress), and with --public-port the public site beside it.

    \b
    Example:
        bordermonitor serve --host 0.0.0.0 --port 8000 --public-port 8001
    """
    _django()
    from django.conf import settings
    from waitress import serve as waitress_serve

    from bordermonitor.web.wsgi import application

    public = None
    if public_port is not None:
        # its own process with its own settings: the public site has no path to the protected database
        command = [
            sys.executable,
            "-m",
            "bordermonitor",
            "serve-public",
            "--host",
            host,
            "--port",
            str(public_port),
        ]
        public = subprocess.Popen(command)  # noqa: S603 - our own command line
    click.echo(f"serving the staff site on http://{host}:{port}/")
    body_limit = (settings.BORDERMONITOR.max_upload_mb + 1) * 1024 * 1024  # an evidence file and its form
    try:
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=8,
            ident="bordermonitor",
            max_request_body_size=body_limit,
            # Request bodies stay in memory up to the limit: waitress would otherwise spool larger ones to a
            # temporary file in plaintext before the evidence upload handler encrypts them.
            inbuf_overflow=body_limit,
        )
    finally:
        if public is not None:
            public.terminate()
            public.wait(timeout=10)


@main.command("serve-public")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def serve_public(host: str, port: int) -> None:
    """Serve the public site — the open archive, its map, search, downloads and public API — from the latest
    release only (BORDERMONITOR_RELEASE_DIR, else <data dir>/public/current). It never opens the protected
    database; a new release is picked up without a restart.

    \b
    Example:
        bordermonitor publish && bordermonitor serve-public --port 8001
    """
    from bordermonitor.public.server import serve as serve_release

    serve_release(host=host, port=port)


@main.command()
@click.option("--reports", default=400, show_default=True, help="Synthetic testimonies to generate.")
@click.option("--force", is_flag=True, help="Load again even if the database already holds reports.")
def demo(reports: int, force: bool) -> None:
    """Load the demo network: organisations, users (printed), the real MMP file, a BVMN-style legacy file and
    synthetic testimonies in several languages.

    \b
    Example:
        bordermonitor init && bordermonitor demo && bordermonitor serve
    """
    with _network():
        from bordermonitor.demo.load import load_demo

        for line in load_demo(reports=reports, force=force, store=_store()):
            click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    main()


from bordermonitor.commands import register as _register_commands  # noqa: E402  (they use the helpers above)

_register_commands(main)
