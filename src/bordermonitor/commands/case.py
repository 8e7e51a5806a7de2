"""``bordermonitor case``: evidence packages of a report or an incident for legal use (docs/cases.md)."""

from __future__ import annotations

from pathlib import Path

import click

from bordermonitor.commands.keys import passphrase_option

__all__ = ["case"]


@click.group()
def case() -> None:
    """Cases for legal use: a report, or an incident's reports, packaged with their evidence as received.

    \b
    Example:
        bordermonitor case export nnk:nnk-2024-017 --out /media/usb/nnk-2024-017 --by reviewer@nnk.example
    """


@case.command("export")
@click.argument("identifier", metavar="REPORT_OR_INCIDENT")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write the package to: it must not exist, or be empty.",
)
@click.option(
    "--by",
    "by",
    metavar="EMAIL",
    required=True,
    help="The account of the person who asks for the package: a reviewer or administrator of the "
    "organisation of every report in it (or a site administrator).",
)
@click.option(
    "--incident",
    "as_incident",
    is_flag=True,
    help="REPORT_OR_INCIDENT is an incident's reference (needed only when a report has the same one).",
)
@click.option(
    "--only-consenting",
    is_flag=True,
    help="For an incident: leave out its reports whose source did not consent to legal use (else refused).",
)
@passphrase_option  # type: ignore[arg-type]  # (typed for a Command; click accepts the function)
def case_export(
    identifier: str,
    out: Path,
    by: str,
    as_incident: bool,
    only_consenting: bool,
    identity_file: Path | None,
) -> None:
    """Write the evidence package of a report (ORG:REF, or REF when one organisation uses it) or of an
    incident (its reference: every report of it) to a new directory, as a BagIt bag with SHA-256 and
    SHA-512 manifests: the originals exactly as received (each checked against the SHA-256 taken at
    intake), their cleaned copies and how they were made, the coded records with the testimony, every audit
    log entry about them with the log's head, and a cover sheet (data/cover.html, data/cover.txt).

    Only for reports whose source consented to legal use, and only for a reviewer or administrator of their
    organisation. One `export` audit event is written per report. Nothing is written if anything is refused.

    \b
    Example:
        bordermonitor case export nnk:nnk-2024-017 --out case-017 --by reviewer@nnk.example
        bordermonitor case export nnk:nnk-2024-017 --out case-017 --by reviewer@nnk.example --identity nnk.age
        bordermonitor case export INC-42 --incident --only-consenting --out case-42 --by admin@nnk.example
    """
    from bordermonitor.cli import _network
    from bordermonitor.commands.evidence import read_identities

    with _network():
        from bordermonitor.storage.cases import CaseRefused, export_case

        identities = read_identities(identity_file)
        try:
            done = export_case(
                identifier,
                out=out,
                by=by,
                identities=identities,
                only_consenting=only_consenting,
                as_incident=as_incident,
            )
        except CaseRefused as refused:
            raise click.ClickException(f"{refused}. No package was written") from None
    reports = ", ".join(done.reports)
    click.echo(
        f"wrote {done.out}: {len(done.reports)} report(s) ({reports}), {done.originals} original(s),"
        f" {done.copies} cop{'y' if done.copies == 1 else 'ies'}, {done.events} audit log entries"
    )
    for ref, why in done.left_out:
        click.echo(f"left out {ref}: {why}")
    click.echo(f"tagmanifest-sha256.txt SHA-256 (in the export audit events): {done.tagmanifest_sha256}")
    click.echo(f"check it with: bagit.py --validate {done.out}")
