"""An organisation's admins manage its accounts and its sharing with the network (METHODOLOGY §1). Anyone
else — another organisation's admin included — gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bordermonitor.storage.access import Access, NotVisible
from bordermonitor.storage.accounts import (
    add_user,
    managed_organisation,
    members_of,
    remove_role,
    set_sharing,
)
from bordermonitor.storage.models import ROLES, Organisation


class MemberForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLES)


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    access: Access = request.access  # type: ignore[attr-defined]
    try:
        return managed_organisation(access, pk)
    except NotVisible:
        raise Http404 from None


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """The accounts and roles of the organisation; adding one shows its first password once."""
    organisation = _organisation(request, pk)
    form = MemberForm(request.POST or None)
    password = None
    if request.method == "POST" and form.is_valid():
        _user, password = add_user(
            email=form.cleaned_data["email"], organisation=organisation.code, role=form.cleaned_data["role"]
        )
        messages.success(request, _("The role is given."))
        form = MemberForm()
    context = {
        "organisation": organisation,
        "members": members_of(organisation),
        "form": form,
        "password": password,
        "roles": dict(ROLES),
    }
    response = render(request, "bordermonitor/members/list.html", context)
    response["Cache-Control"] = "no-store"  # the page may carry a new account's password
    return response


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    try:
        user_id = int(request.POST.get("user", ""))
    except ValueError:
        raise Http404 from None
    if remove_role(
        organisation=organisation, user_id=user_id, role=request.POST.get("role", ""), by=request.user.pk
    ):
        messages.success(request, _("The role is taken away."))
    else:
        messages.error(request, _("This role cannot be taken away here (your own admin role stays)."))
    return redirect("members:list", pk=organisation.pk)


@login_required
@require_POST
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    set_sharing(organisation=organisation, shares=request.POST.get("shares") == "yes")
    messages.success(request, _("Sharing with the network is saved."))
    return redirect("members:list", pk=organisation.pk)
