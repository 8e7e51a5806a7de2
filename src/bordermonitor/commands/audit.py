"""``bordermonitor audit``: check the hash chain of the audit log, and keep its head elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import click

__all__ = ["audit"]


@click.group()
def audit() -> None:
    """The audit log: a hash chain of every create, view, download, export, share, publish and erase.

    \b
    Example:
        bordermonitor audit head --out /mnt/elsewhere/audit-heads.jsonl
        bordermonitor audit verify --heads /mnt/elsewhere/audit-heads.jsonl
    """


@audit.command()
@click.option(
    "--heads",
    "heads_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of heads kept by `audit head --out`: each must still be in the chain, same seq, same hash.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of sentences.")
def verify(heads_file: Path | None, as_json: bool) -> None:
    """Recompute the whole chain from the database and stop at the first broken entry: its seq, id, time,
    action and object, and what is wrong (hash does not match its content, prev_hash does not match the
    previous entry, entry inserted, seq gap, seq out of order). Reads only: run it on a copy of the database,
    with the site stopped, or anywhere DATABASE_URL reaches. Exit code 0 when the chain verifies, 1 when not.

    \b
    Example:
        DATABASE_URL=sqlite:///copy-of-bordermonitor.sqlite3 bordermonitor audit verify --heads heads.jsonl
    """
    from bordermonitor.cli import _network

    with _network():
        from bordermonitor.storage.audit import HeadsFileError, read_heads
        from bordermonitor.storage.audit import verify as check

        try:
            heads = read_heads(heads_file) if heads_file is not None else []
        except HeadsFileError as error:
            raise click.BadParameter(str(error), param_hint="--heads") from None
        result = check(heads)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
    elif result.broken is not None:
        broken = result.broken
        click.echo(f"audit log BROKEN at seq {broken.seq}: {broken.message}", err=True)
        click.echo(f"  entry {broken.entry}", err=True)
        click.echo(f"  the {result.entries} entries before it verify", err=True)
    elif result.head_mismatch is not None:
        mismatch = result.head_mismatch
        click.echo(
            f"audit log BROKEN: the head kept on line {mismatch.line} of {heads_file} (seq {mismatch.kept.seq}, "
            f"hash {mismatch.kept.hash}) no longer matches: {mismatch.message}",
            err=True,
        )
        click.echo(
            f"  the chain itself verifies: {result.entries} entries, head seq {result.head.seq}", err=True
        )
    else:
        kept = f"; {result.heads_checked} kept heads match" if heads_file is not None else ""
        click.echo(
            f"audit log verified: {result.entries} entries, head seq {result.head.seq}, "
            f"hash {result.head.hash}{kept}"
        )
    if not result.ok:
        raise SystemExit(1)


@audit.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Append the head to this file (one JSON line) instead of printing it. Keep the file off this server.",
)
def head(out: Path | None) -> None:
    """The current end of the chain as one JSON line: seq, hash, at (time of the last entry) and entries.
    Kept elsewhere, later `audit verify --heads` shows whether the chain was cut short or rewritten since.

    \b
    Example:
        bordermonitor audit head --out /mnt/usb/audit-heads.jsonl
    """
    from bordermonitor.cli import _network

    with _network():
        from bordermonitor.storage.audit import head as current

        line = current().to_json()
    if out is None:
        click.echo(line)
        return
    with out.open("a", encoding="utf-8") as file:
        file.write(line + "\n")
    click.echo(f"head appended to {out}: {line}")
