"""The list's filter form: the query string read into a :class:`ReportFilter`.

Filters live in the URL (GET) so that a filtered list can be bookmarked and shared; the URL only ever holds
codes, dates and the search words a person typed, never an identifying value of a report. A value that does
not fit is reported next to its field and left out of the filter; the other fields still apply.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.countries import USER_ASSIGNED, country_name
from bordermonitor.core.matrix import SituationKey
from bordermonitor.core.typology import violence_types
from bordermonitor.storage.listing import DEFAULT_SORT, SORTS, ReportFilter
from bordermonitor.storage.matrix import areas
from bordermonitor.web.lists import labels

_TRI = {"yes": True, "no": False}


@cache
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every country, named in ``language`` and sorted by that name."""
    codes = {c.alpha_2 for c in pycountry.countries} | set(USER_ASSIGNED)
    return tuple(sorted(((c, country_name(c, language)) for c in codes), key=lambda pair: pair[1].casefold()))


def violence_choices(language: str) -> list[tuple[str, str]]:
    """The typology (METHODOLOGY §3) in its own order, labelled in ``language``."""
    return [(t.code, t.label(language)) for t in violence_types()]


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "q-help"}),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=list(labels.STATUSES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = forms.DateField(
        label=_("Incident from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Incident to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    country = forms.ChoiceField(label=_("Country (place or expelling state)"), required=False)
    violence = forms.ChoiceField(label=_("Violence"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    evidence = forms.ChoiceField(label=_("Has evidence"), required=False, choices=labels.YES_NO)
    minors = forms.ChoiceField(label=_("Minors involved"), required=False, choices=labels.YES_NO)
    flagged = forms.ChoiceField(label=_("Flagged for review"), required=False, choices=labels.YES_NO)
    authority = forms.RegexField(
        label=_("Perpetrator (stakeholder code)"),
        required=False,
        max_length=100,
        regex=r"^[\w.:-]+$",
        error_messages={"invalid": _("A stakeholder code has letters, digits, '-', '_', '.' and ':' only.")},
    )
    situation = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Order"), required=False, choices=[(key, labels.SORT_LABELS[key]) for key in SORTS]
    )

    def __init__(self, data: Any, *, language: str, organisations: list[tuple[str, str]]) -> None:
        super().__init__(data)
        anything = [("", _("Any"))]
        self.fields["country"].choices = anything + list(country_choices(language))
        self.fields["violence"].choices = anything + violence_choices(language)
        self.fields["organisation"].choices = anything + organisations
        if len(organisations) < 2:  # nothing to choose between
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the range is before its start."))
        if cleaned.get("situation") and not (start and end):
            self.add_error(
                "date_from", _("A situation of the matrix is shown over a range of dates: give both.")
            )
        return cleaned

    def clean_situation(self) -> str | None:
        token = self.cleaned_data.get("situation") or None
        if token is None:
            return None
        try:
            key = SituationKey.from_token(token)
        except ValueError:
            key = None
        if key is None or not areas().known(key.area) or key.code not in {t.code for t in violence_types()}:
            raise forms.ValidationError(_("This is not a situation of the monitoring matrix."))
        return token

    def _valid(self, name: str) -> Any:
        """The cleaned value of ``name``, or None when it was not valid (or the form was not checked)."""
        if name in self.errors:
            return None
        return getattr(self, "cleaned_data", {}).get(name)

    def report_filter(self) -> ReportFilter:
        """The filter of every field that was valid (call after ``is_valid()``)."""
        return ReportFilter(
            status=tuple(self._valid("status") or ()),
            date_from=self._valid("date_from"),
            date_to=self._valid("date_to"),
            country=self._valid("country") or None,
            violence=self._valid("violence") or None,
            organisation=self._valid("organisation") or None,
            has_evidence=_TRI.get(self._valid("evidence") or ""),
            minors=_TRI.get(self._valid("minors") or ""),
            flagged=_TRI.get(self._valid("flagged") or ""),
            text=(self._valid("q") or "").strip() or None,
            authority=self._valid("authority") or None,
            situation=self._valid("situation") or None,
            sort=self._valid("sort") or DEFAULT_SORT,
        )
