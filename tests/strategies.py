"""Hypothesis strategies: canonical interchange records of every shape the format allows."""

from __future__ import annotations

from typing import Any

import pycountry
from hypothesis import strategies as st

from bordermonitor.core.countries import USER_ASSIGNED
from bordermonitor.core.records import EVIDENCE_KINDS, INCIDENT_KINDS, REPORT_KINDS, STATUSES
from bordermonitor.core.typology import CAUSE_OF_DEATH_CODES, VIOLENCE_CODES

COUNTRIES = sorted({c.alpha_2 for c in pycountry.countries} | set(USER_ASSIGNED))
TRI = st.sampled_from(["yes", "no", "unknown"])
text = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)
maybe_text = st.none() | text
count = st.none() | st.integers(min_value=0, max_value=10_000)
country = st.sampled_from(COUNTRIES)
ref = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,30}", fullmatch=True)
finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def dates(draw: st.DrawFn) -> str | None:
    precision = draw(st.sampled_from(["none", "year", "month", "day"]))
    if precision == "none":
        return None
    day = draw(st.dates(min_value=__import__("datetime").date(1990, 1, 1)))
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": day.isoformat()}[precision]


@st.composite
def officers(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(count)
    high = None if low is None else draw(st.none() | st.integers(min_value=low, max_value=low + 50))
    return {"min": low, "max": high, "description": draw(maybe_text)}


@st.composite
def records(draw: st.DrawFn, organisation: str | None = None) -> dict[str, Any]:
    """A raw interchange record that validates without issues (evidence-free: files need a directory)."""
    violence = draw(
        st.lists(
            st.builds(
                lambda code, detail: {"type": code, "detail": detail if code != "other" else (detail or "x")},
                st.sampled_from(sorted(VIOLENCE_CODES)),
                maybe_text,
            ),
            max_size=4,
        )
    )
    incident = {
        "ref": draw(st.none() | ref.map(lambda r: f"inc-{r}")),
        "date": draw(dates()),
        "time": draw(st.none() | st.times().map(lambda t: f"{t:%H:%M}")),
        "location": {
            "lat": draw(st.none() | st.floats(min_value=-90, max_value=90)),
            "lon": draw(st.none() | st.floats(min_value=-180, max_value=180)),
            "precision_m": draw(st.none() | st.floats(min_value=0, max_value=1e6)),
            "place": draw(maybe_text),
            "country": draw(st.none() | country),
            "region": draw(maybe_text),
        },
        "kind": draw(st.none() | st.sampled_from(INCIDENT_KINDS)),
        "expelled_by": draw(st.lists(country, max_size=3)),
        "expelled_to": draw(st.none() | country),
        "group": {
            "size": draw(count),
            "minors": draw(count),
            "women": draw(count),
            "men": draw(count),
            "minors_involved": draw(TRI),
            "ages": draw(maybe_text),
            "nationalities": draw(st.lists(country, max_size=3)),
            "origin_regions": draw(st.lists(text, max_size=2)),
        },
        "asylum_requested": draw(TRI),
        "taken_to_police_station": draw(TRI),
        "detention_hours": draw(st.none() | st.floats(min_value=0, max_value=1e4)),
        "officers": draw(officers()),
        "perpetrators": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"authority": st.none() | ref, "unit": maybe_text, "description": maybe_text}
                ),
                max_size=2,
            )
        ),
        "violence": violence,
        "dead": draw(count),
        "missing": draw(count),
        "survivors": draw(count),
        "causes_of_death": draw(
            st.lists(st.sampled_from(sorted(CAUSE_OF_DEATH_CODES)), max_size=2, unique=True)
        ),
        "medical": {"injuries": draw(TRI), "documented": draw(st.none() | st.booleans())},
        "route": draw(maybe_text),
    }
    json_value = st.recursive(
        st.none() | st.booleans() | st.integers(-1000, 1000) | text,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=6,
    )
    return {
        "format": "bordermonitor/report@1",
        "ref": draw(ref),
        "organisation": organisation or draw(st.sampled_from(["nnk", "rigardu", "org-3"])),
        "kind": draw(st.sampled_from(REPORT_KINDS)),
        "recorded_on": draw(st.none() | st.dates().map(lambda d: d.isoformat())),
        "status": draw(st.sampled_from(STATUSES)),
        "consent": {
            k: draw(st.none() | st.booleans()) for k in ("publish", "share_with_network", "legal_use")
        },
        "title": draw(maybe_text),
        "narrative": {
            "text": draw(maybe_text),
            "language": draw(st.none() | st.sampled_from(["ar", "fa", "ps", "ur", "fr", "en", "fa-AF"])),
            "translation_en": draw(maybe_text),
        },
        "incident": incident,
        "evidence": [],
        "source": {
            "name": draw(maybe_text),
            "url": draw(maybe_text),
            "quality": draw(st.none() | st.integers(1, 5)),
            "original": draw(st.dictionaries(text, json_value, max_size=4)),
            "unparsed": draw(
                st.lists(
                    st.fixed_dictionaries({"field": text, "value": json_value, "reason": text}), max_size=2
                )
            ),
        },
        "known_names": draw(st.lists(text.filter(str.strip).map(str.strip), max_size=3)),
        "public": {"title": draw(maybe_text), "narrative": draw(maybe_text)},
    }


__all__ = ["EVIDENCE_KINDS", "records"]
