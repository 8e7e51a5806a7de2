"""``bordermonitor evidence``: checking the encrypted evidence store, and encrypting files an earlier version
stored in plaintext (docs/evidence.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bordermonitor.commands.keys import passphrase_option, read_passphrase
from bordermonitor.core.age import Identity

__all__ = ["evidence", "read_identities"]


def read_identities(path: Path | None) -> list[Identity]:
    """The identities in an identity file (``keys export``; its passphrase asked, or read from
    BORDERMONITOR_IDENTITY_PASSPHRASE), or none without a file."""
    if path is None:
        return []
    from bordermonitor.cli import _django

    _django()
    from bordermonitor.storage.keys import KeyProblem, identities_in_file

    with path.open("rb") as handle:
        protected = handle.read(22) == b"age-encryption.org/v1\n"
    try:
        return list(identities_in_file(path, read_passphrase() if protected else None))
    except (KeyProblem, ValueError) as error:
        raise click.ClickException(f"{path}: {error}") from None


@click.group()
def evidence() -> None:
    """Evidence files: check every one of them, encrypt those an earlier version left in plaintext.

    Files are kept encrypted under <data dir>/evidence/blobs/ (docs/evidence.md).

    \b
    Example:
        bordermonitor evidence check
    """


@evidence.command("check")
@passphrase_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check(identity_file: Path | None, as_json: bool) -> None:
    """Check every evidence file and copy: it is in the store, its encrypted bytes are unchanged (their
    SHA-256 is its name), and — where the key is on the server or in --identity — it decrypts to the
    SHA-256 recorded when it was received; each copy's parent resolves. Each problem is named (evidence,
    report, kind, file, what failed) and written to the audit log; the exit status is 1 if there is any.

    \b
    Example:
        bordermonitor evidence check
        BORDERMONITOR_IDENTITY_PASSPHRASE=… bordermonitor evidence check --identity nnk-evidence.age --json
    """
    from bordermonitor.cli import _django, _network

    _django()
    from bordermonitor.evidence.check import check_evidence

    with _network():
        identities = read_identities(identity_file)
        report = check_evidence(identities=identities)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for problem in report.problems:
            click.echo(problem.line())
        for name in report.unreferenced:
            click.echo(f"not named by any evidence (left by an interrupted upload or import?): {name}")
        click.echo(
            f"{report.files} files checked: {report.decrypted} decrypted and verified,"
            f" {report.encrypted_only} verified encrypted only (key held offline: give --identity),"
            f" {report.not_encrypted} not encrypted, {report.erased} erased; {len(report.problems)} problems"
        )
    if not report.ok:
        sys.exit(1)


@evidence.command("encrypt-existing")
@click.option(
    "--remove-plaintext",
    is_flag=True,
    help="Afterwards delete the plaintext files every row of which is now encrypted (keep a backup first).",
)
def encrypt_existing(remove_plaintext: bool) -> None:
    """Encrypt the files an earlier version stored in plaintext (<data dir>/evidence/originals/ and
    derivatives/originals/): originals to each organisation's evidence key, copies to its working key. Each
    file's SHA-256 is checked against its record first. Safe to run again.

    \b
    Example:
        bordermonitor evidence encrypt-existing && bordermonitor evidence check
        bordermonitor evidence encrypt-existing --remove-plaintext
    """
    from bordermonitor.cli import _django, _network

    _django()
    from bordermonitor.evidence.check import encrypt_existing as convert

    with _network():
        done = convert(remove_plaintext=remove_plaintext)
    for line in done.missing:
        click.echo(f"not encrypted: {line}")
    click.echo(
        f"encrypted {done.originals} originals and {done.copies} copies"
        + (f"; removed {done.removed} plaintext files" if remove_plaintext else "")
    )
    if done.missing:
        sys.exit(1)
