"""``bordermonitor keys``: the master key and each organisation's keys (docs/keys.md)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import click

__all__ = ["keys", "passphrase_option", "read_passphrase"]

PASSPHRASE_ENV = "BORDERMONITOR_IDENTITY_PASSPHRASE"  # noqa: S105  (the name of a variable)


def read_passphrase(*, confirm: bool = False) -> str:
    """The identity file's passphrase: from BORDERMONITOR_IDENTITY_PASSPHRASE, else asked (not echoed)."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    return str(click.prompt("Passphrase of the identity file", hide_input=True, confirmation_prompt=confirm))


def passphrase_option(command: click.Command) -> click.Command:
    return click.option(
        "--identity",
        "identity_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="The organisation's identity file (`keys export`), when its evidence key is held offline. Its "
        f"passphrase is asked, or read from {PASSPHRASE_ENV}.",
    )(command)


def _organisation_id(code: str) -> int:
    from bordermonitor.cli import _organisation_code
    from bordermonitor.storage.accounts import UnknownOrganisation
    from bordermonitor.storage.models import Organisation

    found = Organisation.objects.filter(code=_organisation_code(code)).values_list("pk", flat=True).first()
    if found is None:
        raise click.ClickException(str(UnknownOrganisation(code)))
    return int(found)


@click.group()
def keys() -> None:
    """The master key and the organisations' keys: status, rotation, keeping the evidence key offline.

    \b
    The master key (BORDERMONITOR_MASTER_KEY_FILE, default <data dir>/keys/master.key) wraps every
    organisation's keys; keep a copy of it somewhere safe, apart from the backups (docs/keys.md).

    \b
    Example:
        bordermonitor keys status
    """


@keys.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def keys_status(as_json: bool) -> None:
    """Each organisation's key versions: created, retired, where the evidence key is, how many record keys.

    \b
    Example:
        bordermonitor keys status
    """
    from bordermonitor.cli import _django, _network

    _django()
    from bordermonitor.storage import keys as keyring

    with _network():
        rows = keyring.status()
        path = keyring.master_key_path()
    if as_json:
        click.echo(json.dumps({"master_key": str(path), "keys": [asdict(r) for r in rows]}, indent=2))
        return
    click.echo(f"master key: {path}")
    if not rows:
        click.echo("no organisation has keys yet (they are made when first needed)")
    for row in rows:
        where = "on the server" if row.evidence_key_on_server else "held offline"
        state = "retired" if row.retired else "current"
        click.echo(
            f"{row.organisation} v{row.version} ({state}, made {row.created_at}): evidence key {where}"
            f" ({row.evidence_recipient}); {row.record_keys} record keys, {row.destroyed_record_keys} destroyed"
        )


@keys.command("rotate")
@click.argument("organisation")
def keys_rotate(organisation: str) -> None:
    """Give ORGANISATION a new key version for everything added from now on; its record keys are rewrapped
    under the new data key. Older versions are kept (retired) to open what was sealed with them.

    \b
    Example:
        bordermonitor keys rotate nnk
    """
    from bordermonitor.cli import _django, _network

    _django()
    from bordermonitor.storage import keys as keyring

    with _network():
        version = keyring.rotate(_organisation_id(organisation))
    click.echo(f"{organisation}: key version {version} is now current")
    click.echo(
        "its new evidence key is on the server: export it and take it offline again if you keep it offline"
    )


@keys.command("rotate-master")
def keys_rotate_master() -> None:
    """Make a new master key and rewrap every organisation's keys with it. The old key file is renamed
    (master.key.old-<time>); destroy it once the new one is kept safe.

    \b
    Example:
        bordermonitor keys rotate-master
    """
    from bordermonitor.cli import _django, _network

    _django()
    from bordermonitor.storage import keys as keyring

    with _network():
        kept = keyring.rotate_master()
        path = keyring.master_key_path()
    click.echo(f"new master key in {path}; the old one was moved to {kept}")


@keys.command("export")
@click.argument("organisation")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Identity file to write."
)
def keys_export(organisation: str, out: Path) -> None:
    """Write ORGANISATION's evidence keys (every version) to an identity file protected by a passphrase.

    The file is an age file: `age -d FILE` opens it with the passphrase, and `age -d -i IDENTITY` then opens
    any original (see docs/keys.md, recovery). Keep it offline, e.g. on two USB keys in different places.

    \b
    Example:
        bordermonitor keys export nnk --out /media/usb/nnk-evidence.age
    """
    from bordermonitor.cli import _django, _network

    _django()
    from bordermonitor.storage import keys as keyring

    if out.exists():
        raise click.ClickException(f"{out} exists: choose a new file")
    passphrase = read_passphrase(confirm=True)
    with _network():
        try:
            versions = keyring.export_identity(_organisation_id(organisation), out, passphrase)
        except keyring.KeyProblem as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(
        f"wrote the evidence keys of {organisation} (versions {', '.join(map(str, versions))}) to {out}"
    )


@keys.command("offline")
@click.argument("organisation")
@click.option(
    "--exported",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The identity file written by `keys export` (it is opened to check it holds every version).",
)
def keys_offline(organisation: str, exported: Path) -> None:
    """Remove ORGANISATION's evidence keys from the server, after checking the exported file holds them all.

    From then on the server adds evidence but cannot open originals; commands that need them take
    --identity FILE.

    \b
    Example:
        bordermonitor keys offline nnk --exported /media/usb/nnk-evidence.age
    """
    from bordermonitor.cli import _django, _network

    _django()
    from bordermonitor.storage import keys as keyring

    passphrase = read_passphrase()
    with _network():
        try:
            versions = keyring.take_offline(_organisation_id(organisation), exported, passphrase)
        except keyring.KeyProblem as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{organisation}: the evidence keys (versions {', '.join(map(str, versions))}) are now held offline"
    )
