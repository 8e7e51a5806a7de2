"""The one field the second-factor pages ask for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        strip=True,
        error_messages={"required": gettext_lazy("Type the code.")},
    )
