"""Generate ``docs/cli.md`` from the commands' own help (``make docs``); a test keeps the file current."""

from __future__ import annotations

import click

from bordermonitor.cli import main

__all__ = ["render"]


def _walk(command: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found += _walk(command.commands[name], [*path, name])
    return found


def render() -> str:
    out = [
        "# Command-line reference",
        "",
        "Generated from the commands' help by `make docs`; do not edit by hand.",
        "",
    ]
    for path, command in _walk(main, ["bordermonitor"]):
        # The settings every command inherits from the group when run (``-h`` included), given explicitly:
        # click keeps the help option it first builds for a command, so the page must not depend on what
        # ran before it.
        with click.Context(
            command,
            info_name=" ".join(path),
            terminal_width=100,
            max_content_width=100,
            help_option_names=main.context_settings["help_option_names"],
        ) as ctx:
            text = command.get_help(ctx)
        out += [f"## `{' '.join(path)}`", "", "```", text, "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
