"""Run-time configuration: one typed object, read once from the environment and passed in.

Nothing in ``core`` reads it; Django settings and the CLI build it with :func:`Config.from_env`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Config"]

_POLICY = "BORDERMONITOR_PUBLISH_"  # BORDERMONITOR_PUBLISH_THRESHOLD=10 → publication policy threshold "10"
_NOT_POLICY = frozenset({"BORDERMONITOR_PUBLISH_LICENCE", "BORDERMONITOR_PUBLISH_ATTRIBUTION"})


@dataclass(frozen=True, slots=True)
class Config:
    data_dir: Path
    database_url: str
    secret_key: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    tile_url: str | None
    max_upload_mb: int = 200
    release_dir: Path | None = None
    publication: tuple[tuple[str, str], ...] = ()
    publish_licence: str = "CC-BY-4.0"
    publish_attribution: str = "bordermonitor network"
    border_areas: str | None = None  # a GeoJSON file of named border areas (default: the shipped ones)
    matrix_weights: str | None = None  # "frequency=0.35,intensity=0.3,…" (core.matrix.Weights.parse)
    session_idle_minutes: int = 30  # a signed-in session unused this long ends (the 8-hour limit still holds)
    plain_http: bool = False  # served without HTTPS on purpose: cookies not marked Secure, no HSTS
    trusted_proxy: str | None = None  # a reverse proxy's address: its X-Forwarded-For names the client
    master_key_file: Path | None = (
        None  # the key that wraps the organisations' keys (default: data_dir/keys/)
    )

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        """``BORDERMONITOR_DATA_DIR`` (default ``./var``) holds the SQLite database, the evidence store and the
        generated secret key; ``DATABASE_URL`` overrides the database (``postgresql://…``)."""
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("BORDERMONITOR_DATA_DIR") or "var").expanduser().resolve()
        database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'bordermonitor.sqlite3'}"
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=env.get("BORDERMONITOR_SECRET_KEY") or _stored_secret(data_dir),
            debug=env.get("BORDERMONITOR_DEBUG", "").lower() in ("1", "true", "yes"),
            allowed_hosts=tuple(
                h.strip()
                for h in env.get("BORDERMONITOR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
                if h
            ),
            tile_url=env.get("BORDERMONITOR_TILE_URL") or None,
            max_upload_mb=int(env.get("BORDERMONITOR_MAX_UPLOAD_MB") or 200),
            release_dir=Path(env["BORDERMONITOR_RELEASE_DIR"]).expanduser().absolute()
            if env.get("BORDERMONITOR_RELEASE_DIR")
            else None,
            publication=tuple(
                sorted(
                    (key[len(_POLICY) :].lower(), value)
                    for key, value in env.items()
                    if key.startswith(_POLICY) and key not in _NOT_POLICY and value
                )
            ),
            publish_licence=env.get("BORDERMONITOR_PUBLISH_LICENCE") or "CC-BY-4.0",
            publish_attribution=env.get("BORDERMONITOR_PUBLISH_ATTRIBUTION") or "bordermonitor network",
            border_areas=env.get("BORDERMONITOR_BORDER_AREAS") or None,
            matrix_weights=env.get("BORDERMONITOR_MATRIX_WEIGHTS") or None,
            session_idle_minutes=int(env.get("BORDERMONITOR_SESSION_IDLE_MINUTES") or 30),
            plain_http=env.get("BORDERMONITOR_PLAIN_HTTP", "").lower() in ("1", "true", "yes"),
            trusted_proxy=env.get("BORDERMONITOR_TRUSTED_PROXY") or None,
            master_key_file=Path(env["BORDERMONITOR_MASTER_KEY_FILE"]).expanduser().absolute()
            if env.get("BORDERMONITOR_MASTER_KEY_FILE")
            else None,
        )

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def master_key_path(self) -> Path:
        """Where the master key is read from (``BORDERMONITOR_MASTER_KEY_FILE``, else ``data_dir/keys/master.key``)."""
        return self.master_key_file or self.data_dir / "keys" / "master.key"

    @property
    def public_release_dir(self) -> Path:
        """The release the public site serves: a link switched by each publication."""
        return self.release_dir or self.data_dir / "public" / "current"


def _stored_secret(data_dir: Path) -> str:
    """A random secret kept in the data directory (mode 0600), created on first use."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
