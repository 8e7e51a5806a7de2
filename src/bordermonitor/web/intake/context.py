"""What the intake templates need besides the form: step navigation, rows of the list fields, the summary."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from bordermonitor.core.countries import country_name
from bordermonitor.storage.drafts import stakeholder_codes
from bordermonitor.storage.models import Organisation, Report
from bordermonitor.web.intake import choices
from bordermonitor.web.intake.forms import CHAIN_ROWS, PERPETRATOR_ROWS, StepForm
from bordermonitor.web.intake.steps import STEPS, Step

__all__ = ["base", "summary"]


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)


def _values(form: StepForm, name: str) -> list[str]:
    value = form[name].value()
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _chain(form: StepForm) -> list[dict[str, Any]]:
    chosen = [v for v in _values(form, "expelled_by") if v]
    rows = chosen + [""] * max(CHAIN_ROWS - len(chosen), 1)
    return [{"index": i, "number": i + 1, "value": value} for i, value in enumerate(rows)]


def _perpetrators(form: StepForm) -> list[dict[str, Any]]:
    columns = {n: _values(form, f"perpetrator_{n}") for n in ("authority", "unit", "description")}
    filled = max((len(c) for c in columns.values()), default=0)
    rows = []
    for i in range(max(filled + 1, PERPETRATOR_ROWS)):
        rows.append({"index": i, **{n: (c[i] if i < len(c) else "") for n, c in columns.items()}})
    return rows


def _violence(form: StepForm, language: str) -> list[dict[str, Any]]:
    chosen = set(_values(form, "violence"))
    return [
        {
            "label": label,
            "items": [
                {
                    "code": code,
                    "label": name,
                    "meaning": meaning,
                    "checked": code in chosen,
                    "detail": form[f"violence_detail_{code}"],
                }
                for code, name, meaning in items
            ],
        }
        for label, items in choices.violence_groups(language)
    ]


def base(
    request: HttpRequest,
    *,
    step: Step,
    form: StepForm | None,
    report: Report | None,
    organisation: Organisation,
    token: uuid.UUID,
    editable: bool,
) -> dict[str, Any]:
    language = _language(request)
    # Input kept on the device belongs to the person who typed it: another account on the same phone never
    # gets it back (and signing out removes it, see site.js).
    person = f"bm-intake:{request.user.pk}"
    if report is None:
        action = reverse("intake:new")
        autosave_url = reverse("intake:autosave_new", args=[token])
        storage_key = f"{person}:new:{token}"
    else:
        action = reverse("intake:step", args=[report.pk, step.slug])
        autosave_url = reverse("intake:autosave", args=[report.pk])
        storage_key = f"{person}:report:{report.pk}"
    nav = [
        {
            "slug": s.slug,
            "number": n,
            "title": s.title,
            "url": reverse("intake:step", args=[report.pk, s.slug]) if report is not None else None,
            "current": s.slug == step.slug,
        }
        for n, s in enumerate(STEPS, start=1)
    ]
    context: dict[str, Any] = {
        "step": step,
        "steps": nav,
        "form": form,
        "report": report,
        "organisation": organisation,
        "token": token,
        "editable": editable,
        "action": action,
        "autosave_url": autosave_url,
        "storage_key": storage_key,
        "previous_key": f"{person}:new:{token}" if report is not None else "",
        "version": report.version if report is not None else "",
        "saved_at": report.updated_at if report is not None else None,
        "tile_url": getattr(settings.BORDERMONITOR, "tile_url", None) or "",
    }
    if form is not None and step.slug == "chain":
        context["chain_rows"] = _chain(form)
        context["countries"] = choices.country_choices(language)
    if form is not None and step.slug == "violence":
        context["violence_groups"] = _violence(form, language)
        context["perpetrator_rows"] = _perpetrators(form)
        context["stakeholders"] = stakeholder_codes()
    return context


def _tri(value: Any) -> str:
    return {True: _("Yes"), False: _("No"), "yes": _("Yes"), "no": _("No")}.get(value, _("Unknown"))


def _known(value: Any) -> str:
    return _("Unknown") if value in (None, "", []) else str(value)


def summary(record: dict[str, Any], language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The record as the review screen shows it: step title → (label, value). The account itself is shown
    by its length only, so a glance at the screen does not expose what the person said."""
    incident = record.get("incident") or {}
    location = incident.get("location") or {}
    group = incident.get("group") or {}
    consent = record.get("consent") or {}
    officers = incident.get("officers") or {}
    narrative = record.get("narrative") or {}
    medical = incident.get("medical") or {}
    countries = lambda codes: ", ".join(country_name(c, language) for c in codes) or _("Unknown")  # noqa: E731
    titles = {s.slug: str(s.title) for s in STEPS}
    officers_count = (
        _("Unknown")
        if officers.get("min") is None and officers.get("max") is None
        else "–".join(
            dict.fromkeys(str(v) for v in (officers.get("min"), officers.get("max")) if v is not None)
        )
    )
    violence = [
        choices.violence_label(item["type"], language) + (f": {item['detail']}" if item.get("detail") else "")
        for item in incident.get("violence") or []
    ]
    return [
        (
            titles["interview"],
            [
                (_("Kind of report"), str(choices.REPORT_KIND_LABELS.get(record.get("kind", ""), ""))),
                (_("Date of the interview"), _known(record.get("recorded_on"))),
                (_("Consents to publication"), _tri(consent.get("publish"))),
                (_("Consents to sharing with the network"), _tri(consent.get("share_with_network"))),
                (_("Consents to legal use"), _tri(consent.get("legal_use"))),
            ],
        ),
        (
            titles["when-where"],
            [
                (_("Date"), _known(incident.get("date"))),
                (_("Time"), _known(incident.get("time"))),
                (_("Country"), countries([location["country"]] if location.get("country") else [])),
                (_("Place name"), _known(location.get("place"))),
                (
                    _("Coordinates"),
                    _("Unknown")
                    if location.get("lat") is None or location.get("lon") is None
                    else f"{location['lat']}, {location['lon']}",
                ),
                (
                    _("Kind of incident"),
                    str(choices.INCIDENT_KIND_LABELS.get(incident.get("kind") or "", _("Unknown"))),
                ),
            ],
        ),
        (
            titles["group"],
            [
                (_("Size of the group"), _known(group.get("size"))),
                (_("Minors"), _known(group.get("minors"))),
                (_("Women"), _known(group.get("women"))),
                (_("Men"), _known(group.get("men"))),
                (_("Minors involved"), _tri(group.get("minors_involved"))),
                (_("Nationalities"), countries(group.get("nationalities") or [])),
            ],
        ),
        (
            titles["chain"],
            [
                (
                    _("Expelled by"),
                    " → ".join(country_name(c, language) for c in incident.get("expelled_by") or [])
                    or _("Unknown"),
                ),
                (_("Left in"), countries([incident["expelled_to"]] if incident.get("expelled_to") else [])),
                (_("Asked for asylum"), _tri(incident.get("asylum_requested"))),
                (_("Taken to a police station"), _tri(incident.get("taken_to_police_station"))),
                (_("Hours in detention"), _known(incident.get("detention_hours"))),
            ],
        ),
        (
            titles["violence"],
            [
                (_("Violence reported"), "; ".join(violence) or _("None recorded")),
                (_("Officers"), officers_count),
                (
                    _("Perpetrators"),
                    ", ".join(p.get("authority") or "?" for p in incident.get("perpetrators") or [])
                    or _("Unknown"),
                ),
            ],
        ),
        (
            titles["medical"],
            [
                (_("Injuries described"), _tri(medical.get("injuries"))),
                (_("Medical documentation exists"), _tri(medical.get("documented"))),
                (_("Dead"), _known(incident.get("dead"))),
                (_("Missing"), _known(incident.get("missing"))),
                (_("Survivors"), _known(incident.get("survivors"))),
            ],
        ),
        (
            titles["narrative"],
            [
                (_("Title"), _known(record.get("title"))),
                (
                    _("The account, as told"),
                    _("Recorded (%(n)s characters)") % {"n": len(narrative["text"])}
                    if narrative.get("text")
                    else _("Not recorded yet"),
                ),
                (
                    _("English translation (optional)"),
                    _("Recorded") if narrative.get("translation_en") else _("None"),
                ),
            ],
        ),
    ]
