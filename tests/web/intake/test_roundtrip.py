"""Any record the form can hold comes back unchanged through every step form: reading a stored record into
a step and saving it without touching anything changes nothing (no unknown becomes 0, no day is invented)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bordermonitor.core.validation import validate_report
from bordermonitor.web.intake.steps import STEPS
from tests.strategies import records


def _posted(initial: dict[str, Any]) -> dict[str, Any]:
    """The form values as a browser sends them back: text, lists of text, empty for unknown."""
    out: dict[str, Any] = {}
    for name, value in initial.items():
        if isinstance(value, list):
            out[name] = [str(v) for v in value]
        else:
            out[name] = "" if value is None else str(value)
    return out


def _fit(raw: dict[str, Any], date: str | None) -> dict[str, Any]:
    """Keep the record within what the form accepts as consistent (the form refuses the rest, on purpose)."""
    incident = raw["incident"]
    incident["date"] = date
    group = incident["group"]
    counted = [group[k] for k in ("minors", "women", "men") if group[k] is not None]
    if group["size"] is not None:
        group["size"] = max([group["size"], *counted])
    if group["minors"] and group["minors_involved"] == "no":
        group["minors_involved"] = "yes"
    incident["perpetrators"] = [p for p in incident["perpetrators"] if any(p.values())]
    return raw


past_dates = st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2024, 12, 31)).flatmap(
    lambda d: st.sampled_from([f"{d:%Y}", f"{d:%Y-%m}", d.isoformat()])
)


@settings(max_examples=60, deadline=None)
@given(raw=records(organisation="nnk"), date=past_dates, language=st.sampled_from(["en", "ar", "fa", "fr"]))
def test_every_step_form_gives_back_the_record_it_was_filled_with(
    raw: dict[str, Any], date: str | None, language: str
) -> None:
    record = validate_report(_fit(raw, date), where="hypothesis").record.model_dump(mode="json")
    for step in STEPS:
        if not step.editable:
            continue
        initial = step.initial(record)
        kwargs = {"current_language": initial.get("language") or None} if step.slug == "interview" else {}
        form = step.form_class(_posted(initial), language=language, **kwargs)
        assert form.is_valid(), (step.slug, form.errors.as_data())
        merged = step.merge(record, form.cleaned_data)
        assert merged == record, step.slug
        again = validate_report(merged, where="hypothesis")
        assert not again.issues
