"""Shared by the report tests: an imported BVMN legacy export (and its rows, to count from independently), a
run of the command line, and reading PDFs page by page with Debian's poppler-utils."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from bordermonitor.cli import main
from bordermonitor.importers.bvmn_fixture import generate, write_legacy

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = Path(os.environ.get("BORDERMONITOR_REPORT_ARTEFACTS", ROOT / "test-artifacts" / "reports"))
ROWS, SEED = 1500, 19  # about twenty incidents a month over 2017–2022


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def cli_error(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code != 0, result.output
    return result.output


@dataclass(frozen=True)
class Legacy:
    rows: list[dict[str, str]]  # the generated cells, as written to the file


@pytest.fixture
def legacy(db: None, tmp_path: Path) -> Legacy:
    """A messy legacy export imported through the command line, and the rows it was made of."""
    path = tmp_path / "legacy.sqlite"
    write_legacy(path, rows=ROWS, seed=SEED)
    cli("import", "bvmn", str(path), "--organisation", "bvmn")
    rows, _truth = generate(rows=ROWS, seed=SEED)
    return Legacy(rows)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"{name} (poppler-utils) is not installed: `make system-packages` installs it (as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, laid out (``pdftotext -layout``), one string per page."""
    pages = int(_info(pdf)["Pages"])
    return [
        subprocess.run(
            [tool("pdftotext"), "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout
        for n in range(1, pages + 1)
    ]  # fmt: skip


def page_images(pdf: Path, directory: Path) -> list[Path]:
    """Each page as a PNG at 60 dpi (``pdftoppm -r 60 -png``), in page order."""
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [tool("pdftoppm"), "-r", "60", "-png", str(pdf), str(directory / "page")],
        check=True, timeout=120,
    )  # fmt: skip
    return sorted(directory.glob("page-*.png"))


def _info(pdf: Path) -> dict[str, str]:
    done = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True, timeout=60)
    return dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)


def page_count(pdf: Path) -> int:
    return int(_info(pdf)["Pages"])


def keep(paths: list[Path], name: str) -> None:
    """Keep some pages as test artefacts (``test-artifacts/reports/``) to look at after a run."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for path in paths:
        shutil.copyfile(path, ARTEFACTS / f"{name}-{path.name}")
