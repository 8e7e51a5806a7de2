"""``bordermonitor backup``: one encrypted file holding the database and the evidence store (docs/backup.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from bordermonitor.core.age import AgeError, Recipient

__all__ = ["backup"]


def _recipients(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[Recipient]:
    parsed = []
    for value in values:
        try:
            parsed.append(Recipient.parse(value))
        except AgeError as error:
            raise click.BadParameter(f"{value!r} is not an age public key (age1…): {error}") from None
    return parsed


@click.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="The backup file to write (it must not exist yet); '-' writes to standard output.",
)
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    callback=_recipients,
    help="Also encrypt the backup to this age public key (age1…, e.g. from `age-keygen` on a machine kept "
    "offline), so that its identity opens the backup without the master key. Repeatable.",
)
def backup(out: Path, recipients: list[Recipient]) -> None:
    """Write a backup of the database and the evidence store to one encrypted file, while the application runs.

    The file is a tar stream encrypted with age to a key derived from the master key (and to each --recipient):
    a manifest (counts, migrations, the SHA-256 of every member), one consistent snapshot of the database
    (SQLite's online backup; PostgreSQL's pg_dump) and the evidence store's files. It does NOT hold the master
    key: keep that apart (docs/backup.md). Restore it with `bordermonitor restore`.

    \b
    Example:
        bordermonitor backup --out /srv/backups/bordermonitor-$(date +%F).age
        bordermonitor backup --out - --recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p | ssh backup@elsewhere 'cat > bm.age'
    """
    from bordermonitor.cli import _network

    to_stdout = str(out) == "-"
    partial = out.with_name(out.name + ".partial")
    if not to_stdout and (out.exists() or partial.exists()):
        raise click.ClickException(f"{out if out.exists() else partial} exists: choose a new file")

    def say(line: str) -> None:
        click.echo(line, err=True)

    with _network():
        from bordermonitor.storage.backup import BackupError, make_backup
        from bordermonitor.storage.keys import KeyProblem

        try:
            if to_stdout:
                summary = make_backup(sys.stdout.buffer, recipients=recipients, progress=say)
                sys.stdout.buffer.flush()
            else:
                out.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                try:
                    with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
                        summary = make_backup(handle, recipients=recipients, progress=say)
                        handle.flush()
                        os.fsync(handle.fileno())
                    os.rename(partial, out)
                finally:
                    partial.unlink(missing_ok=True)
        except (BackupError, KeyProblem) as error:
            raise click.ClickException(str(error)) from None
    for line in summary.lines():
        say(line)
    where = "standard output" if to_stdout else f"{out} ({out.stat().st_size} bytes)"
    say(f"backup written to {where}")
    say("the master key is not in it: keep a copy of the master key apart from the backups (docs/backup.md)")
