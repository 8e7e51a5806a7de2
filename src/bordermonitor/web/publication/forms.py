"""Forms of the public version page: the reviewed public texts and the names to keep out of them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bordermonitor.storage.publication import MAX_TEXT
from bordermonitor.web.intake.forms import NamesField

__all__ = ["KnownNamesForm", "PublicVersionForm"]


class PublicVersionForm(forms.Form):
    """The public title and narrative as the reviewer edited them (empty is none)."""

    title = forms.CharField(
        label=_("Public title"),
        required=False,
        max_length=1000,
        strip=False,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    narrative = forms.CharField(
        label=_("Public narrative"),
        required=False,
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "dir": "auto", "autocomplete": "off"}),
    )


class KnownNamesForm(forms.Form):
    names = NamesField(
        label=_("Names to keep out of any publication"),
        help_text=_(
            "One name a line: the person, companions, drivers, officers — every name given. Changing them "
            "withdraws an approval: the public version is checked against them again."
        ),
    )
