"""Rate limiting per client address: a burst up to the limit, then 429 with Retry-After in the error shape;
pages and static files are not counted."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bordermonitor.public.ratelimit import TokenBuckets
from tests.public.conftest import Site, serving
from tests.public.factory import point_link

API = "/api/public/v1"


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory, release_dir: Path) -> Iterator[Site]:
    link = tmp_path_factory.mktemp("limited") / "current"
    point_link(link, release_dir)
    with serving(link, rate_limit=5) as site:
        yield site


def test_the_sixth_request_in_a_burst_of_a_five_per_minute_limit_is_refused(limited: Site) -> None:
    for _ in range(3):
        assert limited.get("/en/").status == 200  # pages are not counted
    answers = [limited.get(f"{API}/facets") for _ in range(6)]
    assert [a.status for a in answers[:5]] == [200] * 5
    refused = answers[5]
    assert refused.status == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 12
    assert refused.headers["access-control-allow-origin"] == "*"


def test_buckets_refill_at_the_rate() -> None:
    buckets = TokenBuckets(per_minute=600)  # ten a second
    for _ in range(600):
        assert buckets.take("192.0.2.1") == 0
    wait = buckets.take("192.0.2.1")
    assert 0 < wait <= 0.1
    assert buckets.take("192.0.2.2") == 0  # another address has its own bucket
    time.sleep(0.25)
    assert buckets.take("192.0.2.1") == 0


def test_zero_turns_the_limit_off() -> None:
    buckets = TokenBuckets(per_minute=0)
    assert all(buckets.take("192.0.2.1") == 0 for _ in range(1000))
