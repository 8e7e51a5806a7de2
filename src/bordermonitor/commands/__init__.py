"""Command groups that live in their own modules; :func:`register` adds them to ``bordermonitor``.

Each module defines click commands and uses ``bordermonitor.cli``'s helpers (``_network``) at call time.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["register"]

# module name → the click command or group it defines under the same name
MODULES: tuple[str, ...] = (
    "keys",
    "audit",
    "evidence",
    "backup",
    "restore",
    "case",
    "retention",
)  # each command module adds its name here


def register(main: click.Group) -> None:
    for name in MODULES:
        module = importlib.import_module(f"bordermonitor.commands.{name}")
        main.add_command(getattr(module, name))
