"""How the public pages write numbers: CLDR's Latin-digit format of each language, the one the map script
gets from ``Intl.NumberFormat(lang, {numberingSystem: "latn"})``, so a count reads the same whether the
server or the browser wrote it ("10,590" in Arabic and Farsi, "10 590" in French).

Django's own locale formats differ (Arabic groups nothing and would write a decimal comma), so
``FORMAT_MODULE_PATH`` points here: one small module per language, each taking its separators from CLDR
through :func:`number_format`.
"""

from __future__ import annotations

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

__all__ = ["number_format"]


def number_format(language: str) -> tuple[str, str, int]:
    """``DECIMAL_SEPARATOR``, ``THOUSAND_SEPARATOR`` and ``NUMBER_GROUPING`` of ``language`` in Latin digits."""
    pattern = Locale.parse(language).decimal_formats[None]
    return (
        get_decimal_symbol(language, numbering_system="latn"),
        get_group_symbol(language, numbering_system="latn"),
        int(pattern.grouping[0]),
    )
