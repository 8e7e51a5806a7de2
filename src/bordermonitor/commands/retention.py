"""``bordermonitor retention``: each organisation's retention schedule, applying it, and erasing one report
(docs/retention.md)."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from bordermonitor.core.records import STATUSES

__all__ = ["RULE_NAMES", "retention"]

RULE_NAMES = ("evidence", "testimony", "record")
"""The erasure rules by name (``storage.retention.RULES``; a test keeps both the same)."""
_RULES_HELP = (
    "evidence: the evidence files only; testimony: the testimony (record key destroyed) and the evidence files, "
    "coded facts kept; record: all of it and the coded facts too (a tombstone, counted nowhere)."
)


def _parse_target(value: str) -> tuple[str, str]:
    organisation, sep, ref = value.partition(":")
    if not sep or not organisation.strip() or not ref.strip():
        raise click.BadParameter(f"{value!r} is not ORGANISATION:REF (e.g. nnk:nnk-2024-0012)")
    from bordermonitor.cli import _organisation_code

    return _organisation_code(organisation), ref.strip()


@click.group()
def retention() -> None:
    """Retention: which reports are erased when, and erasing one report by destroying its keys.

    \b
    A schedule line says: an organisation's reports in a status that have not changed for so many days are
    erased with a rule. A new organisation has no line: nothing is erased until it decides. Erasure cannot
    be undone; the audit log keeps one `erase` event per report erased, and the report stays as what is left.

    \b
    Example:
        bordermonitor retention set nnk --status rejected --after-days 90 --rule record
        bordermonitor retention apply --dry-run
    """


@retention.command("set")
@click.argument("organisation")
@click.option("--status", type=click.Choice(STATUSES), required=True, help="The reports' status.")
@click.option(
    "--after-days",
    type=click.IntRange(1, 36_500),
    required=True,
    help="Days since the report last changed (edit, status move, import) before it is erased.",
)
@click.option("--rule", type=click.Choice(RULE_NAMES), required=True, help=_RULES_HELP)
def retention_set(organisation: str, status: str, after_days: int, rule: str) -> None:
    """Add a line to ORGANISATION's schedule, or change its days (one line per status and rule).

    \b
    Example:
        bordermonitor retention set nnk --status rejected --after-days 90 --rule record
        bordermonitor retention set nnk --status draft --after-days 180 --rule testimony
    """
    from bordermonitor.cli import _network, _organisation_code
    from bordermonitor.storage.accounts import UnknownOrganisation
    from bordermonitor.storage.retention import ScheduleRefused, set_line

    with _network():
        try:
            line, created = set_line(
                organisation=_organisation_code(organisation), status=status, after_days=after_days, rule=rule
            )
        except (UnknownOrganisation, ScheduleRefused) as error:
            raise click.ClickException(str(error)) from None
    what = "added" if created else "set"
    click.echo(
        f"{organisation}: {status} reports unchanged for {line.after_days} days → erase {rule} ({what})"
    )


@retention.command("unset")
@click.argument("organisation")
@click.option("--status", type=click.Choice(STATUSES), required=True, help="The line's status.")
@click.option("--rule", type=click.Choice(RULE_NAMES), required=True, help="The line's rule.")
def retention_unset(organisation: str, status: str, rule: str) -> None:
    """Remove a line from ORGANISATION's schedule.

    \b
    Example:
        bordermonitor retention unset nnk --status draft --rule testimony
    """
    from bordermonitor.cli import _network, _organisation_code
    from bordermonitor.storage.accounts import UnknownOrganisation
    from bordermonitor.storage.retention import remove_line

    with _network():
        try:
            removed = remove_line(organisation=_organisation_code(organisation), status=status, rule=rule)
        except UnknownOrganisation as error:
            raise click.ClickException(str(error)) from None
    if not removed:
        raise click.ClickException(f"{organisation} has no line for {status} reports with the rule {rule}")
    click.echo(f"{organisation}: line removed ({status} → {rule})")


@retention.command("show")
@click.argument("organisation", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def retention_show(organisation: str | None, as_json: bool) -> None:
    """The schedule of ORGANISATION (or of every organisation), and how many reports each rule erased so far.

    \b
    Example:
        bordermonitor retention show nnk
    """
    from bordermonitor.cli import _network, _organisation_code
    from bordermonitor.storage.accounts import UnknownOrganisation
    from bordermonitor.storage.retention import erasures_done, schedule

    code = _organisation_code(organisation) if organisation else None
    with _network():
        try:
            lines = schedule(code)
            done = erasures_done(code)
        except UnknownOrganisation as error:
            raise click.ClickException(str(error)) from None
    if as_json:
        out = {
            org: {"schedule": [asdict(line) for line in rows], "erased": done.get(org, {})}
            for org, rows in lines.items()
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not lines:
        click.echo("no organisation yet")
    for org, rows in lines.items():
        click.echo(f"{org}:")
        if not rows:
            click.echo("  no schedule: nothing is erased automatically")
        for line in rows:
            click.echo(
                f"  {line.status} reports unchanged for {line.after_days} days → erase {line.rule}"
                f" (set by {line.set_by}, {line.updated_at})"
            )
        erased = done.get(org, {})
        if erased:
            click.echo("  erased so far: " + ", ".join(f"{n} {rule}" for rule, n in sorted(erased.items())))


@retention.command("apply")
@click.option("--dry-run", is_flag=True, help="Only list what would be erased; change nothing.")
@click.option("--organisation", help="Only this organisation's schedule.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for a scheduled job).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def retention_apply(dry_run: bool, organisation: str | None, yes: bool, as_json: bool) -> None:
    """Erase every report the schedules make due: one transaction and one audit event per report. Lists each
    report by ORGANISATION:REF with its rule, then the counts.

    \b
    Example:
        bordermonitor retention apply --dry-run
        bordermonitor retention apply --yes        # e.g. nightly, from cron or a systemd timer
    """
    from bordermonitor.cli import _network, _organisation_code
    from bordermonitor.storage.accounts import UnknownOrganisation
    from bordermonitor.storage.retention import apply_schedule, due

    code = _organisation_code(organisation) if organisation else None
    with _network():
        from django.utils import timezone

        now = timezone.now()
        try:
            found = due(organisation=code, now=now)
        except UnknownOrganisation as error:
            raise click.ClickException(str(error)) from None
        if not as_json:
            for item in found:
                click.echo(
                    f"{item.organisation}:{item.ref}  {item.rule}  ({item.status}, unchanged since"
                    f" {item.changed_at[:10]}, line: after {item.after_days} days)"
                )
        if found and not dry_run and not yes:
            click.confirm(f"Erase these {len(found)} reports? This cannot be undone", abort=True)
        result = apply_schedule(organisation=code, now=now, dry_run=dry_run or not found)
    counts = result.by_rule()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "dry_run": dry_run,
                    "due": [asdict(item) for item in result.due],
                    "erased": [asdict(item) for item in result.erased],
                    "skipped": [asdict(item) for item in result.skipped],
                    "by_rule": counts,
                },
                ensure_ascii=False,
            )
        )
        return
    summary = ", ".join(f"{n} {rule}" for rule, n in counts.items()) or "none"
    if dry_run or not found:
        click.echo(f"{len(result.due)} reports due ({summary}); nothing was erased")
        return
    click.echo(f"{len(result.erased)} reports erased ({summary})")
    for item in result.skipped:
        click.echo(f"left alone, changed meanwhile: {item.organisation}:{item.ref}")
    for erased in result.erased:
        for name in erased.files_left:
            click.echo(f"could not delete {name} ({erased.organisation}:{erased.ref}); its key is destroyed")


@retention.command("erase")
@click.argument("target", metavar="ORGANISATION:REF")
@click.option("--rule", type=click.Choice(RULE_NAMES), required=True, help=_RULES_HELP)
@click.option(
    "--reason",
    required=True,
    help="Why (e.g. 'consent withdrawn, request 2024-07'); kept with the erasure, so no names in it.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def retention_erase(target: str, rule: str, reason: str, yes: bool) -> None:
    """Erase one report now with a rule, for a reason (a withdrawn consent, a request to be forgotten).

    \b
    Example:
        bordermonitor retention erase nnk:nnk-2024-0012 --rule testimony --reason "consent withdrawn"
    """
    from bordermonitor.cli import _network
    from bordermonitor.storage.accounts import UnknownOrganisation
    from bordermonitor.storage.retention import ErasureRefused, erase_ref

    organisation, ref = _parse_target(target)
    if not yes:
        click.confirm(f"Erase {organisation}:{ref} with the rule {rule}? This cannot be undone", abort=True)
    with _network():
        try:
            done = erase_ref(organisation, ref, rule, reason=reason)
        except (UnknownOrganisation, ErasureRefused) as error:
            raise click.ClickException(str(error)) from None
    counts = ", ".join(f"{name} {n}" for name, n in sorted(done.counts.items()))
    click.echo(f"{done.organisation}:{done.ref} erased ({done.rule}): {counts}")
    for name in done.files_left:
        click.echo(f"could not delete {name}; its key is destroyed")
