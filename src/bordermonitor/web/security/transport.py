"""Whether the staff site is reached over HTTPS, decided once from the configuration (no Django import: the
settings module calls it)."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["LOOPBACK_NAMES", "plain_http"]

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def plain_http(*, configured: bool, debug: bool, allowed_hosts: Iterable[str]) -> bool:
    """True when the site is served over plain HTTP on purpose, so cookies cannot be marked Secure and no
    HSTS is sent: ``BORDERMONITOR_PLAIN_HTTP`` is set, or ``BORDERMONITOR_DEBUG``, or the site answers only to
    this machine's own names (the default ``127.0.0.1,localhost``, as ``make demo`` serves it). A site that
    answers to any other name gets Secure cookies and HSTS."""
    hosts = {host.strip().lower() for host in allowed_hosts if host.strip()}
    return configured or debug or hosts <= LOOPBACK_NAMES
