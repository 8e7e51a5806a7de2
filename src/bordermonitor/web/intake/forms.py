"""The forms of the intake steps: per-field parsing with messages in the person's language.

Forms only read what was typed. Merging into the record and the one validation of the record happen in
:mod:`bordermonitor.web.intake.steps`; an empty field is unknown (``None``), never 0 or "".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.dates import PartialDate
from bordermonitor.core.typology import violence_types
from bordermonitor.web.intake import choices

__all__ = ["CHAIN_ROWS", "FORMS", "PERPETRATOR_ROWS", "NamesField"]

CHAIN_ROWS = 5  # empty state rows offered without JavaScript
PERPETRATOR_ROWS = 3
MAX_TEXT = 100_000


class Rows(forms.Widget):
    """Several inputs of one name (rows of a list): read in the order they were sent."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        getter = getattr(data, "getlist", None)
        if getter is not None:
            return [str(v) for v in getter(name)]
        value = data.get(name)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class OrderedCountries(forms.MultipleChoiceField):
    """An ordered list of countries from rows of selects; empty rows are skipped, the order is kept."""

    widget = Rows

    def to_python(self, value: Any) -> list[str]:
        return [v.strip() for v in super().to_python(value) if v and v.strip()]


class TextRows(forms.Field):
    """Rows of text, empties kept so the columns of a table of rows stay aligned."""

    widget = Rows

    def to_python(self, value: Any) -> list[str]:
        return [str(v).strip() for v in (value or [])]


class NamesField(forms.CharField):
    """Names typed one a line into a text box, read as a list: trimmed, empty lines dropped, as the record
    keeps them (``ReportRecord.known_names``), so a stored list comes back unchanged."""

    widget = forms.Textarea

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10_000)
        super().__init__(**kwargs)
        self.widget.attrs.update({"rows": 4, "autocomplete": "off", "spellcheck": "false", "dir": "auto"})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = (super().clean(value) or "").replace("\r\n", "\n").replace("\r", "\n")
        return [line.strip() for line in text.split("\n") if line.strip()]


def _tri(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices.TRI, required=False, initial="unknown", widget=forms.RadioSelect
    )


def _count(label: str, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=2_000_000_000, **kwargs)


def _text(label: str, *, long: bool = False, max_length: int = MAX_TEXT, **kwargs: Any) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 8 if long else 3}) if long else forms.TextInput
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget, **kwargs)


class StepForm(forms.Form):
    """A step form built for one language (choice labels); ``current`` is the record's stored values."""

    template_name_div = "bordermonitor/intake/_fields.html"

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        self.language = language
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea | forms.TextInput | forms.NumberInput):
                field.widget.attrs.setdefault("autocomplete", "off")


class InterviewForm(StepForm):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=(), initial="testimony")
    recorded_on = forms.DateField(
        label=_("Date of the interview"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    language = forms.ChoiceField(label=_("Language of the account"), required=False, choices=())
    consent_publish = _tri(_("Consents to publication"))
    consent_share = _tri(_("Consents to sharing with the network"))
    consent_legal = _tri(_("Consents to legal use"))

    def __init__(self, *args: Any, current_language: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, str(v)) for k, v in choices.REPORT_KIND_LABELS.items()]
        self.fields["language"].choices = choices.language_choices(self.language, current_language)


class WhenWhereForm(StepForm):
    date_year = forms.IntegerField(
        label=_("Year"), required=False, min_value=1900, max_value=2100, widget=forms.NumberInput
    )
    date_month = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=int, empty_value=None, choices=()
    )
    date_day = forms.IntegerField(label=_("Day"), required=False, min_value=1, max_value=31)
    time = forms.TimeField(
        label=_("Time (HH:MM)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    precision_m = forms.FloatField(
        label=_("Precision of the place (metres)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    place = _text(_("Place name"), max_length=1000)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=())
    region = _text(_("Region"), max_length=1000)
    incident_kind = forms.ChoiceField(label=_("Kind of incident"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_month"].choices = choices.month_choices(self.language)
        self.fields["country"].choices = [("", _("Unknown")), *choices.country_choices(self.language)]
        self.fields["incident_kind"].choices = [
            ("", _("Unknown")),
            *((k, str(v)) for k, v in choices.INCIDENT_KIND_LABELS.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, month, day = data.get("date_year"), data.get("date_month"), data.get("date_day")
        if self.errors:
            return data
        if day is not None and month is None:
            self.add_error("date_day", _("A day needs its month: give the month, or leave the day empty."))
        elif month is not None and year is None:
            self.add_error(
                "date_month", _("A month needs its year: give the year, or leave the month empty.")
            )
        elif year is not None:
            try:
                data["date"] = str(PartialDate(year, month, day))
            except ValueError:
                self.add_error("date_day", _("This month has no such day."))
        else:
            data["date"] = None
        if year is not None and "date" in data and data["date"]:
            if PartialDate.parse(data["date"]).start > dt.date.today():
                self.add_error("date_year", _("This date is in the future."))
        return data


class GroupForm(StepForm):
    group_size = _count(_("Size of the group"))
    minors = _count(_("Minors"))
    women = _count(_("Women"))
    men = _count(_("Men"))
    minors_involved = _tri(_("Minors involved"))
    ages = _text(_("Ages, as told"), max_length=1000)
    nationalities = forms.MultipleChoiceField(
        label=_("Nationalities"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = choices.country_choices(self.language)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        size = data.get("group_size")
        if size is not None:
            for name in ("minors", "women", "men"):
                value = data.get(name)
                if value is not None and value > size:
                    self.add_error(name, _("More than the size of the group (%(size)s).") % {"size": size})
        if data.get("minors") and data.get("minors_involved") == "no":
            self.add_error("minors_involved", _("Minors were counted above: this cannot be 'No'."))
        return data


class ChainForm(StepForm):
    expelled_by = OrderedCountries(
        label=_("Expelled by (first apprehending state first)"), required=False, choices=()
    )
    expelled_to = forms.ChoiceField(label=_("Left in (country)"), required=False, choices=())
    asylum_requested = _tri(_("Asked for asylum"))
    taken_to_police_station = _tri(_("Taken to a police station"))
    detention_hours = forms.FloatField(
        label=_("Hours in detention"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = choices.country_choices(self.language)
        self.fields["expelled_by"].choices = countries
        self.fields["expelled_to"].choices = [("", _("Unknown")), *countries]


class ViolenceForm(StepForm):
    violence = forms.MultipleChoiceField(
        label=_("Violence reported"), required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    officers_min = _count(_("Officers (at least)"))
    officers_max = _count(_("Officers (at most)"))
    officers_description = _text(_("Officers: uniforms, vehicles, equipment"), long=True)
    perpetrator_authority = TextRows(label=_("Authority"), required=False)
    perpetrator_unit = TextRows(label=_("Unit"), required=False)
    perpetrator_description = TextRows(label=_("Description"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violence"].choices = [(t.code, t.label(self.language)) for t in violence_types()]
        for entry in violence_types():
            self.fields[f"violence_detail_{entry.code}"] = _text(
                _("What happened: %(type)s") % {"type": entry.label(self.language)}, max_length=MAX_TEXT
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = data.get("violence") or []
        if "other" in chosen and not data.get("violence_detail_other"):
            self.add_error("violence_detail_other", _("Say what happened: 'Other' needs a detail."))
        low, high = data.get("officers_min"), data.get("officers_max")
        if low is not None and high is not None and low > high:
            self.add_error("officers_max", _("The most is below the least."))
        columns = [data.get(f"perpetrator_{n}") or [] for n in ("authority", "unit", "description")]
        width = max((len(c) for c in columns), default=0)
        rows = []
        for i in range(width):
            authority, unit, description = (c[i] if i < len(c) else "" for c in columns)
            if len(authority) > 100:
                self.add_error("perpetrator_authority", _("An authority is a short code (100 characters)."))
            if authority or unit or description:
                rows.append({"authority": authority, "unit": unit, "description": description})
        data["perpetrators"] = rows
        return data


class MedicalForm(StepForm):
    injuries = _tri(_("Injuries described"))
    medical_documented = _tri(_("Medical documentation exists"))
    dead = _count(_("Dead"))
    missing = _count(_("Missing"))
    survivors = _count(_("Survivors"))
    causes_of_death = forms.MultipleChoiceField(
        label=_("Causes of death"), required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["causes_of_death"].choices = choices.cause_choices(self.language)


class NarrativeForm(StepForm):
    title = _text(_("Title"), max_length=1000)
    narrative = _text(_("The account, as told"), long=True)
    translation_en = _text(_("English translation (optional)"), long=True)
    known_names = NamesField(
        label=_("Names to keep out of any publication"),
        help_text=_(
            "One name a line: the person, companions, drivers, officers — every name given. They stay in "
            "this protected record and are removed from any public version of the account."
        ),
    )


class EmptyForm(StepForm):
    """Steps without fields of their own (evidence, submit)."""


FORMS: dict[str, type[StepForm]] = {
    "interview": InterviewForm,
    "when-where": WhenWhereForm,
    "group": GroupForm,
    "chain": ChainForm,
    "violence": ViolenceForm,
    "medical": MedicalForm,
    "narrative": NarrativeForm,
    "evidence": EmptyForm,
    "submit": EmptyForm,
}
