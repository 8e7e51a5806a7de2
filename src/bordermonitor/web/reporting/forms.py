"""The Reports page's form: which period, language, format and organisation, and the notable cases to quote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bordermonitor.reporting import FORMATS, LANGUAGES, Period, ReportRequest
from bordermonitor.storage.reporting import PublicCase

__all__ = ["ReportForm", "default_period"]

_LANGUAGE_NAMES = {"en": "English", "fr": "Français", "ar": "العربية", "fa": "فارسی"}
_FORMAT_NAMES = {"pdf": "PDF", "html": "HTML", "json": "JSON"}


def default_period(today: dt.date) -> tuple[str, str]:
    """The month before ``today`` and the year before it: the reports usually made next."""
    first = today.replace(day=1)
    last_month = first - dt.timedelta(days=1)
    return last_month.strftime("%Y-%m"), str(today.year - 1)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Report"),
        choices=(("monthly", _("Monthly report")), ("annual", _("Annual report"))),
        widget=forms.RadioSelect,
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2019-05"}),
    )
    year = forms.CharField(
        label=_("Year"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "placeholder": "2019"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=[(code, _LANGUAGE_NAMES[code]) for code in LANGUAGES]
    )
    format = forms.ChoiceField(label=_("Format"), choices=[(code, _FORMAT_NAMES[code]) for code in FORMATS])
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    cases = forms.MultipleChoiceField(
        label=_("Notable cases"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        organisations: Sequence[tuple[str, str]],
        candidates: Sequence[PublicCase] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("The whole network")))]
        self.fields["organisation"].choices = choices + [(code, name) for code, name in organisations]  # type: ignore[attr-defined]
        self.fields["cases"].choices = [(case.key, case.key) for case in candidates]  # type: ignore[attr-defined]
        self.candidates = list(candidates)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        self.period: Period | None = None
        field, message = (
            ("month", _("Write the month as YYYY-MM, e.g. 2019-05."))
            if kind == "monthly"
            else ("year", _("Write the year as YYYY, e.g. 2019."))
        )
        if kind in ("monthly", "annual"):
            try:
                self.period = Period.parse(kind, data.get(field) or "")
            except ValueError:
                self.add_error(field, message)
        return data

    def request(self, *, shared_only: bool) -> ReportRequest:
        """What to make (the form is valid)."""
        period = self.period
        if period is None:  # is_valid() checked it
            raise ValueError("the form has no valid period")
        cases = tuple(tuple(key.split(":", 1)) for key in self.cleaned_data["cases"])
        return ReportRequest(
            period=period,
            format=self.cleaned_data["format"],
            language=self.cleaned_data["language"],
            organisation=self.cleaned_data["organisation"] or None,
            cases=cases,  # type: ignore[arg-type]
            shared_only=shared_only,
        )
