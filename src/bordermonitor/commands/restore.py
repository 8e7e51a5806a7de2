"""``bordermonitor restore``: a backup into an empty database and data directory, then the restore drill."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["restore"]


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--identity",
    "identity_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An age identity file that opens the backup (the identity of a --recipient it was made for); default: "
    "the backup key derived from the master key. If the file is protected by a passphrase, it is asked, or read "
    "from BORDERMONITOR_IDENTITY_PASSPHRASE.",
)
@click.option(
    "--evidence-identity",
    "evidence_identity_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An organisation's identity file (`keys export`) when it holds its evidence key offline: the drill then "
    "decrypts its originals too (without it, their encrypted files are checked). Its passphrase is asked, or read "
    "from BORDERMONITOR_IDENTITY_PASSPHRASE.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Restore even though the database or the evidence store already holds data (the database is replaced; "
    "files are added).",
)
def restore(file: Path, identity_file: Path | None, evidence_identity_file: Path | None, force: bool) -> None:
    """Restore the backup FILE into the database of DATABASE_URL and the data directory, then run the restore
    drill: the restored tables hold the counts of the backup's manifest, the audit chain verifies, and every
    evidence original and copy decrypts to the SHA-256 recorded at intake. Exit code 1 on any mismatch.

    The target must be empty (e.g. a new data directory, or a new database after `bordermonitor init`), and the
    master key the backup was made with must be at the target's master key path first (BORDERMONITOR_MASTER_KEY_FILE,
    default <data dir>/keys/master.key): the backup does not hold it.

    \b
    Example:
        install -m 600 /media/usb/master.key var/keys/master.key
        bordermonitor restore /srv/backups/bordermonitor-2024-05-01.age
    """
    from bordermonitor.cli import _network

    def say(line: str) -> None:
        click.echo(line)

    with _network():
        from bordermonitor.commands.evidence import read_identities
        from bordermonitor.core.age import Identity
        from bordermonitor.storage.backup import BackupError, restore_backup
        from bordermonitor.storage.keys import KeyProblem, identity_from_file

        identity: Identity | None = None
        try:
            if identity_file is not None:
                passphrase = None
                with identity_file.open("rb") as handle:
                    if handle.read(22) == b"age-encryption.org/v1\n":
                        from bordermonitor.commands.keys import read_passphrase

                        passphrase = read_passphrase()
                identity = identity_from_file(identity_file, passphrase)
            result = restore_backup(
                file,
                identity=identity,
                evidence_identities=read_identities(evidence_identity_file),
                force=force,
                progress=say,
            )
        except (BackupError, KeyProblem) as error:
            raise click.ClickException(str(error)) from None
    manifest = result.manifest
    say(
        f"restored the backup of {manifest['created_at']} (bordermonitor {manifest['app_version']}, "
        f"{manifest['engine']}): {result.files} evidence files, {result.file_bytes} bytes"
    )
    if result.migrated:
        say(f"applied {len(result.migrated)} migration(s): {', '.join(result.migrated)}")
    assert result.drill is not None  # noqa: S101 - restore_backup always runs it
    for line in result.drill.lines():
        say(line)
    if not result.ok:
        click.echo(
            "restore drill FAILED: what is restored is not what was backed up (see MISMATCH above)", err=True
        )
        raise SystemExit(1)
    say("restore drill passed")
