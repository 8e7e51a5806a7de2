"""The charter: its versions, the current one shown with its signatories, and signing it.

A signature writes the ``charter_signed`` engagement event of the stakeholder; removing a signature recorded
by mistake needs a reason, kept in the audit log. A version stays as it was signed: once signed, a change is a
new version.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bordermonitor.storage.models import CharterSignature, CharterVersion, User
from bordermonitor.storage.stakeholders import (
    Invalid,
    NotFound,
    by_code,
    charter_versions,
    create_charter_version,
    current_charter,
    remove_signature,
    sign_charter,
    stakeholder_codes,
    update_charter_version,
)
from bordermonitor.web.stakeholders.forms import CharterForm, ReasonForm, SignatureForm, show
from bordermonitor.web.stakeholders.pages import coordinators, form_page, found

PAGE = "bordermonitor/stakeholders/charter.html"


def _url(charter: CharterVersion | None = None, anchor: str = "") -> str:
    url = (
        reverse("stakeholders:charter_version", args=[charter.pk])
        if charter
        else reverse("stakeholders:charter")
    )
    return url + (f"#{anchor}" if anchor else "")


def _page(
    request: HttpRequest,
    shown: CharterVersion | None,
    *,
    sign: SignatureForm | None = None,
    removal: tuple[int, ReasonForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    current = current_charter()
    context: dict[str, Any] = {
        "shown": shown,
        "current": current,
        "versions": list(charter_versions()),
        "signatures": list(shown.signatures.select_related("stakeholder").order_by("signed_on", "id"))
        if shown
        else [],
        "sign": sign or SignatureForm(),
        "removal": removal,
        "codes": stakeholder_codes(),
    }
    return render(request, PAGE, context, status=status)


@coordinators
@require_GET
def charter(request: HttpRequest) -> HttpResponse:
    """The current version of the charter, its signatories, and every version."""
    return _page(request, current_charter())


@coordinators
@require_GET
def version(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, found(CharterVersion, pk))


@coordinators
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    latest = charter_versions().first()
    if request.method == "POST":
        form = CharterForm(request.POST)
    else:  # start from the latest text: a new version is usually the last one changed
        form = CharterForm(initial={"title": latest.title, "text": latest.text} if latest else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = create_charter_version(**form.cleaned_data)
        except Invalid as error:
            show(form, error)
        else:
            messages.success(
                request, _("Version %(version)s of the charter is saved.") % {"version": made.version}
            )
            return HttpResponseRedirect(_url(made), status=303)
    return form_page(
        request,
        heading=_("New version of the charter"),
        intro=_("Stakeholders sign a version as it is: once signed, its text does not change."),
        form=form,
        action=reverse("stakeholders:charter_new"),
        submit=_("Save the version"),
        back=_url(),
        status=400 if request.method == "POST" else 200,
    )


@coordinators
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = found(CharterVersion, pk)
    if request.method == "POST":
        form = CharterForm(request.POST)
    else:
        form = CharterForm(
            initial={"title": item.title, "text": item.text, "published_on": item.published_on}
        )
    if request.method == "POST" and form.is_valid():
        try:
            update_charter_version(item, **form.cleaned_data)
        except Invalid as error:
            item.refresh_from_db()
            show(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(_url(item), status=303)
    return form_page(
        request,
        heading=_("Edit version %(version)s of the charter") % {"version": item.version},
        form=form,
        action=reverse("stakeholders:charter_edit", args=[item.pk]),
        submit=_("Save"),
        back=_url(item),
        status=400 if request.method == "POST" else 200,
    )


@coordinators
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    item = found(CharterVersion, pk)
    form = SignatureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            stakeholder = by_code(data["stakeholder"])
        except NotFound:
            form.add_error("stakeholder", _("No stakeholder has this code."))
        else:
            user: User = request.user  # type: ignore[assignment]
            try:
                sign_charter(
                    item,
                    stakeholder=stakeholder,
                    signed_on=data["signed_on"],
                    signed_by=data["signed_by"],
                    notes=data["notes"],
                    by=user,
                )
            except Invalid as error:
                show(form, error)
            else:
                messages.success(
                    request,
                    _("The signature of %(code)s is recorded and added to its engagement log.")
                    % {"code": stakeholder.code},
                )
                return HttpResponseRedirect(_url(item, "signatories"), status=303)
    return _page(request, item, sign=form, status=400)


@coordinators
@require_POST
def signature_remove(request: HttpRequest, pk: int) -> HttpResponse:
    signature = found(CharterSignature, pk)
    item = signature.charter
    reason = ReasonForm(request.POST)
    if reason.is_valid():
        try:
            remove_signature(signature, reason=reason.cleaned_data["reason"])
        except Invalid as error:
            show(reason, error)
        else:
            messages.success(request, _("The signature is removed."))
            return HttpResponseRedirect(_url(item, "signatories"), status=303)
    return _page(request, item, removal=(signature.pk, reason), status=400)
