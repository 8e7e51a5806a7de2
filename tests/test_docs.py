"""The documentation tells the truth: the CLI reference is current and the README's quick start is two commands."""

from __future__ import annotations

import re

from bordermonitor.clidoc import render
from tests.conftest import ROOT


def test_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text() == render(), "run `make docs`"


def test_readme_quick_start_is_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.S)
    assert block is not None
    commands = [
        line.split("#")[0].strip() for line in block.group(1).splitlines() if line.split("#")[0].strip()
    ]
    assert commands == ["make demo", "make test"]


def test_every_documented_page_exists() -> None:
    readme = (ROOT / "README.md").read_text()
    for link in re.findall(r"\]\((docs/[^)]+|CHANGELOG\.md)\)", readme):
        assert (ROOT / link).exists(), link
