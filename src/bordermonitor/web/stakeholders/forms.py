"""The forms of the stakeholder pages. They read what was typed (texts, choices, dates); the rules — codes,
dates in range, an adopted plan has its date — live in ``storage.stakeholders``, whose :class:`Invalid` is shown
next to the field it names (:func:`show`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.typology import violence_types
from bordermonitor.storage.models.stakeholders import (
    ENGAGEMENT_STAGES,
    MEASURE_STATUSES,
    PLAN_STATUSES,
    STAKEHOLDER_KINDS,
)
from bordermonitor.storage.stakeholders import Invalid
from bordermonitor.web.lists.forms import country_choices

__all__ = [
    "CharterForm",
    "EngagementForm",
    "FilterForm",
    "MeasureForm",
    "PlanForm",
    "ReasonForm",
    "SignatureForm",
    "StakeholderForm",
    "TargetForm",
    "show",
]

CODES_LIST = "stakeholder-codes"  # the id of the page's <datalist> of codes
AREAS_LIST = "border-areas"  # the id of the plan page's <datalist> of border areas


def _date(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(label: Any, *, rows: int = 3, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows, "dir": "auto"}),
    )


def _line(
    label: Any, *, max_length: int, required: bool = False, help_text: Any = "", **attrs: str
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off", **attrs}),
    )


def _code(label: Any, *, required: bool, help_text: Any = "") -> forms.CharField:
    """A stakeholder's code, typed with the known codes offered (a datalist, no script)."""
    return _line(
        label,
        max_length=100,
        required=required,
        help_text=help_text,
        list=CODES_LIST,
        dir="ltr",
        spellcheck="false",
    )


def show(form: forms.Form, error: Invalid) -> None:
    """Show ``error`` next to the field it names (above the form when the form has no such field)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Code or name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, data: Any, *, language: str) -> None:
        super().__init__(data)
        anything = [("", _("Any"))]
        self.fields["kind"].choices = anything + list(STAKEHOLDER_KINDS)
        self.fields["country"].choices = anything + list(country_choices(language))


class StakeholderForm(forms.Form):
    code = _code(
        _("Code"),
        required=True,
        help_text=_(
            "A short stable code, such as HR-police or frontex. Imports name perpetrator authorities by this code."
        ),
    )
    name = _line(_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=STAKEHOLDER_KINDS)
    country = forms.ChoiceField(label=_("Country"), required=False)
    parent = _code(
        _("Part of (code of its authority)"), required=False, help_text=_("For a unit: its authority.")
    )
    description = _text(_("Mandate: what it is responsible for and can act on"), rows=4)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Unknown")), *country_choices(language)]


class EngagementForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=ENGAGEMENT_STAGES)
    on = _date(_("Date"), required=True)
    notes = _text(
        _("Notes"), help_text=_("What happened: who was met (their office, not their name), what was said.")
    )


class ReasonForm(forms.Form):
    reason = _line(_("Reason for removing it"), max_length=1000, required=True)


class PlanForm(forms.Form):
    title = _line(_("Title"), max_length=300, required=True)
    status = forms.ChoiceField(label=_("Status"), choices=PLAN_STATUSES)
    adopted_on = _date(_("Adopted on"), help_text=_("Required when the plan is adopted."))
    notes = _text(_("Notes"), rows=4)


class TargetForm(forms.Form):
    area = _line(
        _("Border area (code)"),
        max_length=100,
        help_text=_(
            "The border areas of the monitoring matrix are offered, such as hr-ba-una-sana. Empty: every area."
        ),
        dir="ltr",
        spellcheck="false",
        list=AREAS_LIST,
    )
    violence = forms.ChoiceField(label=_("Violence"), required=False)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("Every type of violence"))]
        self.fields["violence"].choices = every + [(t.code, t.label(language)) for t in violence_types()]


class MeasureForm(forms.Form):
    description = _text(_("Measure"), required=True)
    owner = _line(_("Responsible"), max_length=200, help_text=_("The office or post responsible for it."))
    due_on = _date(_("Due on"))
    status = forms.ChoiceField(label=_("Status"), choices=MEASURE_STATUSES)
    implemented_on = _date(_("Implemented on"), help_text=_("Required when the measure is implemented."))


class CharterForm(forms.Form):
    title = _line(_("Title"), max_length=300, required=True)
    text = _text(_("Text"), rows=16, required=True)
    published_on = _date(
        _("Published on"), help_text=_("Empty while it is a draft: a draft cannot be signed.")
    )


class SignatureForm(forms.Form):
    stakeholder = _code(_("Stakeholder (code)"), required=True)
    signed_on = _date(_("Signed on"), required=True)
    signed_by = _line(
        _("Signed by"), max_length=200, help_text=_("The office or post that signed, not a name.")
    )
    notes = _text(_("Notes"))
