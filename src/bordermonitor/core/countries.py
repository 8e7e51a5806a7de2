"""Countries as ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

from functools import cache

import pycountry

__all__ = ["is_country_code"]

# Codes in use that ISO 3166-1 has not (yet) assigned but that every dataset in this field uses.
USER_ASSIGNED = {"XK": "Kosovo"}


@cache
def _codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | frozenset(USER_ASSIGNED)


def is_country_code(code: str) -> bool:
    """True for an upper-case ISO 3166-1 alpha-2 code (and XK, Kosovo)."""
    return code in _codes()
