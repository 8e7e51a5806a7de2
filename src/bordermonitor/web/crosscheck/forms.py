"""The forms of the cross-checking pages: the queue's filter, a decision with its note, and starting a run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bordermonitor.storage.models.linkage import DECISIONS
from bordermonitor.web.crosscheck import labels

__all__ = ["DecisionForm", "QueueFilter", "RunForm"]

NOTE_MAX = 2000


class QueueFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(code, label) for code, (label, _statuses) in labels.STATUS_FILTERS.items()],
    )
    report = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def statuses(self) -> tuple[str, tuple[str, ...]]:
        """The chosen filter and the pair statuses it shows (pairs waiting for a decision by default)."""
        chosen = self.cleaned_data.get("status") if self.is_valid() else None
        chosen = chosen or "proposed"
        return chosen, labels.STATUS_FILTERS[chosen][1]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(code, labels.DECISIONS[code]) for code in DECISIONS])
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Why you decided so, for the others who review this pair: no names of people."),
    )


class RunForm(forms.Form):
    what = forms.ChoiceField(
        label=_("Reports to cross-check"),
        choices=(
            ("all", _("All reports")),
            ("since", _("Only pairs with a report created or changed since a day")),
        ),
        widget=forms.RadioSelect,
        initial="all",
    )
    since = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("what") == "since" and data.get("since") is None:
            self.add_error("since", _("Give the day from which changed reports are cross-checked."))
        if data.get("what") == "since" and (data.get("since") or dt.date.min) > dt.date.today():
            self.add_error("since", _("This day is in the future: no report changed since then."))
        return data

    def since_day(self) -> dt.date | None:
        return self.cleaned_data["since"] if self.cleaned_data.get("what") == "since" else None
