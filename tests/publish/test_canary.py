"""Canary: identifiers planted in protected fields and narratives never reach a released byte (SECURITY goal 10).

Names (Latin and Arabic script), phone numbers, e-mail addresses and passport numbers are planted in every
free-text field of many reports — narratives included, which reviewers then approve as they are — and the
whole release is searched, byte by byte, for each of them."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.publish.conftest import report

_counter = itertools.count()

latin_name = st.from_regex(r"Qx[a-z]{4,8} Zv[a-z]{4,8}", fullmatch=True)
arabic_name = st.from_regex(r"ژق[ابتثجحخدذرزسشصضطظعغفقكلمنهوي]{3,6}", fullmatch=True)
phone = st.builds(
    lambda a, b, c, style: style.format(a=a, b=b, c=c),
    st.integers(60, 69),
    st.integers(100, 999),
    st.integers(100, 999),
    st.sampled_from(["+387 {a} {b} {c}", "00387-{a}-{b}-{c}", "0{a}/{b}-{c}", "+387{a}{b}{c}"]),
)
email = st.from_regex(r"qx[a-z]{4,8}@example\.org", fullmatch=True)
passport = st.from_regex(r"QX[0-9]{7}", fullmatch=True)


@st.composite
def planted(draw: st.DrawFn) -> dict[str, str]:
    return {
        "name": draw(latin_name),
        "arabic": draw(arabic_name),
        "phone": draw(phone),
        "email": draw(email),
        "passport": draw(passport),
    }


def _record(ref: str, c: dict[str, str]) -> dict[str, Any]:
    first = c["name"].split()[0]
    story = (
        f"My friend {c['name']} was beaten. {first} called {c['phone']} and wrote to {c['email']}; "
        f"the police took passport {c['passport']}. صديقي {c['arabic']} ضُرب أيضاً."
    )
    raw = report(
        ref,
        title=f"{first} pushed back",
        narrative={"text": story, "language": "en", "translation_en": story},
        known_names=[c["name"], c["arabic"]],
    )
    incident = raw["incident"]
    incident["location"] = {
        **incident["location"],
        "place": f"near the house of {first}",
        "region": c["arabic"],
    }
    incident["officers"] = {"count": 3, "description": f"one called {c['name']} {c['phone']}"}
    incident["group"] = {**incident["group"], "ages": f"{c['name']} 16"}
    incident["route"] = c["email"]
    incident["violence"] = [{"type": "beating", "detail": f"{c['name']} kicked {c['passport']}"}]
    incident["perpetrators"] = [{"authority": None, "unit": c["name"], "description": c["phone"]}]
    raw["source"] = {
        "name": c["email"],
        "url": f"https://example.org/{c['passport']}",
        "original": {"n": c["name"]},
    }
    return raw


def _needles(c: dict[str, str]) -> list[bytes]:
    parts = [*c["name"].split(), c["arabic"], c["email"], c["passport"], c["phone"]]
    digits = "".join(ch for ch in c["phone"] if ch.isdigit())
    return [p.casefold().encode() for p in parts] + [digits[-8:].encode()]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(planted(), min_size=3, max_size=8))
def test_no_planted_identifier_reaches_any_released_byte(
    world: Callable[[list[dict[str, Any]]], None],
    publish_to: Callable[..., Any],
    tmp_path: Path,
    canaries: list[dict[str, str]],
) -> None:
    world([_record(f"canary-{next(_counter)}", c) for c in canaries])
    release = publish_to(tmp_path / f"public-{next(_counter)}" / "current")
    files = [p for p in release.directory.rglob("*") if p.is_file()]
    assert release.counts["incidents"] >= len(canaries) and release.counts["with narrative"] >= len(canaries)
    for path in files:
        data = path.read_bytes().lower()
        for c in canaries:
            for needle in _needles(c):
                assert needle not in data, f"{needle!r} found in {path.name}"
