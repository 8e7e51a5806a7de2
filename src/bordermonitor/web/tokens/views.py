"""Personal API tokens. A new token is shown once, on the page that creates it, and never again: only its
SHA-256 is kept (``bordermonitor.storage.tokens``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bordermonitor.storage.tokens import issue_token, revoke_token, tokens_of


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “sync script on the office laptop”."),
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens and a form for a new one; after creating, the token itself, this once."""
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _row, created = issue_token(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        form = TokenForm()
    response = render(
        request,
        "bordermonitor/tokens/list.html",
        {"form": form, "created": created, "tokens": list(tokens_of(request.user))},  # type: ignore[arg-type]
    )
    response["Cache-Control"] = "no-store"  # the page may carry a token
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own live tokens; any other token id is not found."""
    if not revoke_token(user=request.user, token_id=pk):  # type: ignore[arg-type]
        raise Http404
    messages.success(request, _("The token is revoked: it no longer opens the API."))
    return redirect("tokens:list")
