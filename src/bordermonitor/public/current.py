"""The release this process serves: one :class:`ReleaseWatcher` per process, on the configured link."""

from __future__ import annotations

import threading

from django.conf import settings

from bordermonitor.public.release import Release, ReleaseWatcher

__all__ = ["current_release", "watcher"]

_lock = threading.Lock()
_watcher: ReleaseWatcher | None = None


def watcher() -> ReleaseWatcher:
    global _watcher
    if _watcher is None:
        with _lock:
            if _watcher is None:
                _watcher = ReleaseWatcher(settings.BORDERMONITOR_PUBLIC.release_dir)
    return _watcher


def current_release() -> Release | None:
    """The release to answer from, or None while none has been published (or none could be read)."""
    return watcher().current()
