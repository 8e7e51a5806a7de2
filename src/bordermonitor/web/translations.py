"""Compile the translation catalogues (``locale/*/LC_MESSAGES/django.po`` → ``.mo``) with Babel, so the
set-up needs no GNU gettext. Run by ``make install``: ``python -m bordermonitor.web.translations compile``."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def main(argv: list[str]) -> int:
    if argv[1:] != ["compile"]:
        print("usage: python -m bordermonitor.web.translations compile", file=sys.stderr)
        return 2
    for path in compile_all():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
