"""The site follows the publisher's link without a restart, keeps serving the release it has when a new one
cannot be read, and says plainly when nothing has been published yet."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation

from bordermonitor.public.release import Release, ReleaseUnreadable, ReleaseWatcher, load_release
from tests.public.conftest import Site, serving
from tests.public.factory import incident_rows, point_link, write_release

API = "/api/public/v1"


def _wait_for(check: Callable[[], bool], *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the site did not pick the release up"
        time.sleep(0.2)


def _version(site: Site) -> str | None:
    reply = site.get(f"{API}/release")
    return reply.json()["version"] if reply.status == 200 else None


def _broken(directory: Path, version: str) -> Path:
    directory.mkdir()
    (directory / "release.json").write_text(f'{{"format": "1", "version": "{version}"}}', "utf-8")
    (directory / "archive.sqlite").write_bytes(b"this is not a database" * 100)
    return directory


@pytest.mark.slow
def test_a_new_release_is_picked_up_and_a_broken_one_is_skipped(tmp_path: Path) -> None:
    link = tmp_path / "current"
    with serving(link, log=tmp_path / "site.log") as site:
        # nothing published yet: the API says so in its error shape, the pages in words
        reply = site.get(f"{API}/incidents")
        assert reply.status == 503 and reply.json()["error"]["code"] == "unavailable"
        assert reply.headers["cache-control"] == "no-store"
        page = site.get("/ar/")
        with translation.override("ar"):
            nothing_yet = translation.gettext("Nothing published yet")
        assert nothing_yet != "Nothing published yet"
        assert page.status == 503 and 'dir="rtl"' in page.text and nothing_yet in page.text

        first = write_release(tmp_path / "r1", incident_rows(50, seed=1), version="20260101T000000Z")
        point_link(link, first)
        _wait_for(lambda: _version(site) == "20260101T000000Z")
        etag = site.get(f"{API}/incidents").headers["etag"]

        second = write_release(tmp_path / "r2", incident_rows(80, seed=2), version="20260201T000000Z")
        point_link(link, second)
        _wait_for(lambda: _version(site) == "20260201T000000Z")
        assert site.get(f"{API}/incidents").json()["count"] == 80
        assert (
            site.get(f"{API}/incidents", headers={"If-None-Match": etag}).status == 200
        )  # new version, new ETag

        point_link(link, _broken(tmp_path / "r3", "20260301T000000Z"))
        time.sleep(3)  # three checks later, the previous release is still the one served
        assert _version(site) == "20260201T000000Z"
        assert site.get(f"{API}/incidents").json()["count"] == 80
        assert site.get("/en/search/?q=police").status == 200
        assert "not served" in (tmp_path / "site.log").read_text()

        fourth = write_release(tmp_path / "r4", incident_rows(30, seed=4), version="20260401T000000Z")
        point_link(link, fourth)
        _wait_for(lambda: _version(site) == "20260401T000000Z")
        assert site.get("/en/").status == 200


def test_the_watcher_checks_at_most_once_per_interval(tmp_path: Path) -> None:
    loads: list[Path] = []

    def loader(path: Path) -> Release:
        loads.append(path)
        return load_release(path)

    link = tmp_path / "current"
    point_link(link, write_release(tmp_path / "a", incident_rows(5), version="A"))
    watcher = ReleaseWatcher(link, interval=3600, loader=loader, background=False)
    first = watcher.current()
    assert first is not None and first.version == "A"
    point_link(link, write_release(tmp_path / "b", incident_rows(5), version="B"))
    assert watcher.current() is first  # not checked again within the interval
    assert len(loads) == 1


def test_the_watcher_keeps_the_release_it_has_when_the_new_one_fails(tmp_path: Path) -> None:
    link = tmp_path / "current"
    point_link(link, write_release(tmp_path / "a", incident_rows(5), version="A"))
    watcher = ReleaseWatcher(link, interval=0, background=False)
    assert watcher.current().version == "A"  # type: ignore[union-attr]
    point_link(link, _broken(tmp_path / "b", "B"))
    assert watcher.current().version == "A"  # type: ignore[union-attr]
    point_link(link, write_release(tmp_path / "c", incident_rows(5), version="C"))
    assert watcher.current().version == "C"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "release.json").write_text("{not json"),
        lambda d: (d / "release.json").write_text('{"format": "2", "version": "X"}'),
        lambda d: (d / "release.json").write_text(
            '{"format": "1", "version": "X", "counts": {"incidents": "many"}}'
        ),
        lambda d: (d / "archive.sqlite").unlink(),
    ],
)
def test_an_unreadable_release_says_why(tmp_path: Path, damage: Callable[[Path], object]) -> None:
    directory = write_release(tmp_path / "r", incident_rows(5))
    damage(directory)
    with pytest.raises(ReleaseUnreadable):
        load_release(directory)
