"""The public site under test: releases written with the publisher's ``write_archive``, and the site itself
served by waitress in a child process, exactly as ``serve-public`` runs it (public settings, no database).

Requests go over loopback with ``http.client``; nothing here configures Django for the public site in the
test process, whose settings are the staff site's.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bordermonitor.public.release import Release, load_release
from tests.conftest import ROOT
from tests.public.factory import incident_rows, point_link, write_release

ROWS = 300


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Site:
    host: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        if params:
            path += ("&" if "?" in path else "?") + urlencode(params)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(link: Path, *, rate_limit: int = 100_000, log: Path | None = None) -> Iterator[Site]:
    """The public site on a free loopback port, serving the release behind ``link``; stopped afterwards."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(
        BORDERMONITOR_RELEASE_DIR=str(link),
        BORDERMONITOR_PUBLIC_RATE_LIMIT=str(rate_limit),
        BORDERMONITOR_ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT / "src"),
    )
    output = open(log or os.devnull, "wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from bordermonitor.public.server import serve; serve(host='127.0.0.1', port={port})",
        ],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    site = Site("127.0.0.1", port, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                site.get("/static/public/public.css")  # not rate-limited
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the public site did not start") from None
                time.sleep(0.1)
        yield site
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


@pytest.fixture(scope="session")
def rows() -> list[dict[str, Any]]:
    return incident_rows(ROWS)


@pytest.fixture(scope="session")
def evidence_incident(rows: list[dict[str, Any]]) -> str:
    return str(rows[-1]["id"])


@pytest.fixture(scope="session")
def release_dir(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]], evidence_incident: str
) -> Path:
    return write_release(tmp_path_factory.mktemp("releases") / "r1", rows, evidence_for=evidence_incident)


@pytest.fixture(scope="session")
def release(release_dir: Path) -> Release:
    return load_release(release_dir)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, release_dir: Path) -> Iterator[Site]:
    link = tmp_path_factory.mktemp("served") / "current"
    point_link(link, release_dir)
    with serving(link) as running:
        yield running
