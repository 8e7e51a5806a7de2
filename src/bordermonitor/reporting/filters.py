"""Template filters of the report: numbers, shares and dates written with Babel in the active language."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

__all__ = ["css_string", "date_long", "ltr", "number", "percent", "signed", "signed_percent"]

register = template.Library()
MINUS = "\u2212"


def _locale() -> str:
    return (get_language() or "en").replace("-", "_")


@register.filter
def number(value: int | float | None) -> str:
    """``12345`` → ``12,345`` (en), ``12 345`` (fr); None → an em dash (nothing to show)."""
    if value is None:
        return "—"
    return format_decimal(value, locale=_locale())


@register.filter
def percent(value: float | None) -> str:
    """A share (0..1) as a percentage with one decimal at most; None → an em dash."""
    if value is None:
        return "—"
    return format_percent(value, "#,##0.#%", locale=_locale())


@register.filter
def signed(value: int | None) -> str:
    """A change with its sign: ``+3``, ``−2``, ``0``."""
    if value is None:
        return "—"
    text = format_decimal(abs(value), locale=_locale())
    return f"+{text}" if value > 0 else f"{MINUS}{text}" if value < 0 else text


@register.filter
def signed_percent(value: float | None) -> str:
    """A relative change with its sign (``+25%``); None (no figure to compare with) → an em dash."""
    if value is None:
        return "—"
    text = format_percent(abs(value), "#,##0.#%", locale=_locale())
    return f"+{text}" if value > 0 else f"{MINUS}{text}" if value < 0 else text


@register.filter
def ltr(value: object) -> str:
    """``value`` isolated as left-to-right text (U+2066 … U+2069): a signed number or "<5" keeps its reading
    order in a right-to-left report. Bidi controls, because WeasyPrint does not read ``unicode-bidi``."""
    return f"\u2066{value}\u2069"


@register.filter
def date_long(value: str | dt.date | dt.datetime) -> str:
    """An ISO date or date-time as a long date in the active language (``2 March 2024``)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "long", locale=_locale())


@register.filter
def css_string(value: str) -> SafeString:
    """``value`` inside a CSS string in double quotes, in a ``<style>`` element (where HTML escapes are not
    read): quotes, backslashes, line breaks and the characters of markup are written as CSS escapes."""
    return mark_safe("".join(f"\\{ord(ch):x} " if ch in _CSS_ESCAPED else ch for ch in str(value)))  # noqa: S308 - escaped above


_CSS_ESCAPED = frozenset("\"\\\n<>&'")
