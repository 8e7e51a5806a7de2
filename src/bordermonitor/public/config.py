"""The public site's configuration: one typed object read once from the environment.

Deliberately separate from :class:`bordermonitor.config.Config`: the public process knows where the release
is and nothing about the protected database, the evidence store or the staff site's secret key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_RATE_LIMIT", "PublicConfig"]

DEFAULT_RATE_LIMIT = 120  # API requests per minute and client address


@dataclass(frozen=True, slots=True)
class PublicConfig:
    release_dir: Path
    secret_key: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    tile_url: str | None
    rate_limit: int  # API requests per minute per client address; 0 turns the limit off
    trusted_proxy: str | None  # address of a reverse proxy whose X-Forwarded-For waitress believes

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PublicConfig:
        """``BORDERMONITOR_RELEASE_DIR`` (default ``<BORDERMONITOR_DATA_DIR or ./var>/public/current``) is the
        symbolic link the publisher switches to each new release; it is resolved again on every check, never
        once at start."""
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("BORDERMONITOR_DATA_DIR") or "var").expanduser()
        release_dir = Path(
            env.get("BORDERMONITOR_RELEASE_DIR") or data_dir / "public" / "current"
        ).expanduser()
        rate = (env.get("BORDERMONITOR_PUBLIC_RATE_LIMIT") or "").strip()
        return cls(
            release_dir=Path(os.path.abspath(release_dir)),  # absolute, but the link itself is kept
            # Nothing is signed (no sessions, no forms that post): a key per process is enough for Django.
            secret_key=env.get("BORDERMONITOR_SECRET_KEY") or secrets.token_urlsafe(50),
            debug=env.get("BORDERMONITOR_DEBUG", "").lower() in ("1", "true", "yes"),
            allowed_hosts=tuple(
                h.strip()
                for h in env.get("BORDERMONITOR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
                if h.strip()
            ),
            tile_url=env.get("BORDERMONITOR_TILE_URL") or None,
            rate_limit=max(0, int(rate)) if rate else DEFAULT_RATE_LIMIT,
            trusted_proxy=env.get("BORDERMONITOR_TRUSTED_PROXY") or None,
        )
