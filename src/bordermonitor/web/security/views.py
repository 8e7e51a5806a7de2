"""Signing in: the password step (throttled), the second-factor step (throttled, single-use codes), enrolling
an authenticator app, recovery codes, and the person's own second-factor page (docs/access.md)."""

from __future__ import annotations

import hashlib
import logging
import math
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from bordermonitor.storage import accounts
from bordermonitor.storage.accounts import (
    Attempt,
    CodeCheck,
    begin_attempt,
    check_code,
    confirm_enrolment,
    confirmed_second_factor,
    failure_keys,
    new_recovery_codes,
    pending_enrolment,
    provisioning_uri,
    recovery_codes_left,
    remove_second_factor,
    second_factor_required,
    succeeded,
)
from bordermonitor.storage.models import User
from bordermonitor.web.security import session as marks
from bordermonitor.web.security.forms import CodeForm

__all__ = ["SignIn", "admin_sign_in", "enrol", "overview", "recovery_codes", "remove", "verify"]

log = logging.getLogger("bordermonitor.security")


def _address(request: HttpRequest) -> str:
    return marks.client_address(request, trusted_proxy=settings.BORDERMONITOR.trusted_proxy)


def _keys(request: HttpRequest, email: str) -> tuple[str, str]:
    return failure_keys(email=email, address=_address(request))


def _tag(key: str) -> str:
    """A short, non-reversible tag of a throttling key for the log (the key is already a keyed hash)."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def _log_failure(step: str, keys: tuple[str, str], attempt: Attempt) -> None:
    account, address = keys
    if attempt.refused:
        log.warning(
            "sign-in refused (too many failures) at the %s step: account %s, address %s",
            step,
            _tag(account),
            _tag(address),
        )
    else:
        log.info("sign-in failed at the %s step: account %s, address %s", step, _tag(account), _tag(address))


def _throttled(
    request: HttpRequest, template: str, context: dict[str, Any], attempt: Attempt
) -> HttpResponse:
    """429 with the time to wait; the same words whether the account exists or not."""
    assert attempt.retry_at is not None  # noqa: S101 - only called for a refused attempt
    seconds = max(1, math.ceil((attempt.retry_at - attempt.at).total_seconds()))
    message = ngettext(
        "Too many failed sign-in attempts. Wait %(seconds)d second, then try again.",
        "Too many failed sign-in attempts. Wait %(seconds)d seconds, then try again.",
        seconds,
    ) % {"seconds": seconds}
    response = render(request, template, {**context, "throttled": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _next(request: HttpRequest) -> str:
    """Where to go once signed in: the ``next`` asked for if it stays on this site, else the home page."""
    asked = request.POST.get("next") or request.GET.get("next") or ""
    if asked and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return str(resolve_url(settings.LOGIN_REDIRECT_URL))


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _second_factor_page(user: User) -> str | None:
    """The page a person signing in goes to next, if any: verification, or enrolment when it is required
    and not set up yet."""
    if confirmed_second_factor(user) is not None:
        return "security:verify"
    if second_factor_required(user):
        return "security:enrol"
    return None


class SignIn(LoginView):
    """The password step. Each attempt is counted before the password is checked; an attempt over the limit
    is refused (429) without checking it."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("username", "")
        keys = _keys(request, email)
        attempt = begin_attempt(keys)
        if attempt.refused:  # an unbound form: nothing in rendering it may check the password
            _log_failure("password", keys, attempt)
            form = self.get_form_class()(request, initial={"username": email})
            return _throttled(request, self.template_name, self.get_context_data(form=form), attempt)
        form = self.get_form()
        if form.is_valid():
            succeeded(attempt)
            return self.form_valid(form)
        _log_failure("password", keys, attempt)
        return self.form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)  # a new session key (and CSRF token) for the signed-in session
        marks.start(self.request.session, at=accounts.now().timestamp())
        next_url = self.get_redirect_url() or str(resolve_url(settings.LOGIN_REDIRECT_URL))
        page = _second_factor_page(user)
        return HttpResponseRedirect(_with_next(page, next_url) if page else next_url)


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The administration site's own sign-in page, replaced: visitors sign in on the staff site's page (the
    same throttling and second factor) and come back; a signed-in person who is not a site administrator is
    sent home rather than round in a circle."""
    if request.user.is_authenticated:
        return redirect("admin:index" if request.user.is_active and request.user.is_staff else "home")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("login") + (f"?{query}" if query else ""))


def _code_step(
    request: HttpRequest, user: User, form: CodeForm, *, step: str
) -> tuple[CodeCheck | None, Attempt]:
    """Check the form's code against the account's second factor, throttled like the password step."""
    keys = _keys(request, user.email)
    attempt = begin_attempt(keys)
    if attempt.refused:
        _log_failure(step, keys, attempt)
        return None, attempt
    if not form.is_valid():  # no code typed: the form says so; it counts as a failure all the same
        _log_failure(step, keys, attempt)
        return CodeCheck.WRONG, attempt
    result = check_code(user, form.cleaned_data["code"])
    if result in (CodeCheck.ACCEPTED, CodeCheck.RECOVERY):
        succeeded(attempt)
    else:
        _log_failure(step, keys, attempt)
        form.add_error(
            "code",
            _("This code was used already. Wait for the next code in your app.")
            if result is CodeCheck.REPLAYED
            else _("The code is not right. Type the code your app shows now, or a recovery code."),
        )
    return result, attempt


def _recovery_notice(request: HttpRequest, user: User) -> None:
    left = recovery_codes_left(user)
    messages.warning(
        request,
        ngettext(
            "You signed in with a recovery code. %(left)d recovery code is left.",
            "You signed in with a recovery code. %(left)d recovery codes are left.",
            left,
        )
        % {"left": left}
        + " "
        + _("If you lost your phone, set up your new one below."),
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _next(request)
    if marks.second_factor_passed(request.session, user.pk):
        return redirect(next_url)
    page = _second_factor_page(user)
    if page != "security:verify":
        return redirect(_with_next(page, next_url) if page else next_url)
    form = CodeForm(request.POST or None)
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        result, attempt = _code_step(request, user, form, step="second-factor")
        if attempt.refused:
            return _throttled(request, "bordermonitor/security/verify.html", context, attempt)
        if result in (CodeCheck.ACCEPTED, CodeCheck.RECOVERY):
            request.session.cycle_key()
            marks.mark_second_factor_passed(request.session, user.pk)
            if result is CodeCheck.RECOVERY:  # the phone may be lost: the page that deals with it
                _recovery_notice(request, user)
                return redirect("security:overview")
            return redirect(next_url)
    return render(request, "bordermonitor/security/verify.html", context)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_variables("device", "uri", "context", "codes")  # kept out of error reports
@sensitive_post_parameters("code")
@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code and the key as text, then a code from the app to confirm; the
    recovery codes are shown once, on the page that confirms."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _next(request)
    device = pending_enrolment(user)
    if device is None:  # one is set up already: replacing it needs a signed-in session and a code
        passed = marks.second_factor_passed(request.session, user.pk)
        return redirect("security:overview" if passed else _with_next("security:verify", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = confirm_enrolment(user, form.cleaned_data["code"])
        if codes is not None:
            request.session.cycle_key()
            marks.mark_second_factor_passed(request.session, user.pk)
            log.info("second factor set up for account %d", user.pk)
            response = render(
                request, "bordermonitor/security/recovery_codes.html", {"codes": codes, "next": next_url}
            )
            response["Cache-Control"] = "no-store"
            return response
        form.add_error("code", _("The code is not right. Type the code your app shows now."))
    uri = provisioning_uri(device, email=user.email)
    context = {
        "form": form,
        "next": next_url,
        "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#111111", light="#ffffff"),
        "secret": _grouped(device.secret),
        "required": second_factor_required(user),
    }
    response = render(request, "bordermonitor/security/enrol.html", context)
    response["Cache-Control"] = "no-store"  # the page carries the key
    return response


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The person's second factor: whether it is set up, recovery codes left, and what they can do."""
    user: User = request.user  # type: ignore[assignment]
    return render(request, OVERVIEW, _overview_context(user, CodeForm()))


OVERVIEW = "bordermonitor/security/overview.html"


def _overview_context(user: User, form: CodeForm) -> dict[str, Any]:
    device = confirmed_second_factor(user)
    return {
        "device": device,
        "left": recovery_codes_left(user) if device else 0,
        "required": second_factor_required(user),
        "form": form,
    }


@sensitive_variables("codes")
@sensitive_post_parameters("code")
@never_cache
@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes (the earlier ones stop working), after a code from the app."""
    user: User = request.user  # type: ignore[assignment]
    if confirmed_second_factor(user) is None:
        return redirect("security:overview")
    form = CodeForm(request.POST)
    result, attempt = _code_step(request, user, form, step="recovery-codes")
    if attempt.refused:
        return _throttled(request, OVERVIEW, _overview_context(user, form), attempt)
    if result is CodeCheck.ACCEPTED or result is CodeCheck.RECOVERY:
        codes = new_recovery_codes(user)
        log.info("new recovery codes for account %d", user.pk)
        response = render(
            request,
            "bordermonitor/security/recovery_codes.html",
            {"codes": codes, "next": reverse("security:overview")},
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, OVERVIEW, _overview_context(user, form), status=400)


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Remove the authenticator after a code from it (or a recovery code). Someone who must have one is sent
    to set up the new one straight away; for others the second factor is off."""
    user: User = request.user  # type: ignore[assignment]
    if confirmed_second_factor(user) is None:
        return redirect("security:overview")
    form = CodeForm(request.POST)
    result, attempt = _code_step(request, user, form, step="remove")
    if attempt.refused:
        return _throttled(request, OVERVIEW, _overview_context(user, form), attempt)
    if result is CodeCheck.ACCEPTED or result is CodeCheck.RECOVERY:
        remove_second_factor(user)
        log.info("second factor removed by account %d", user.pk)
        if second_factor_required(user):
            request.session.pop(marks.SECOND_FACTOR, None)
            return redirect("security:enrol")
        messages.success(request, _("The second factor is off. You sign in with your password only."))
        return redirect("security:overview")
    return render(request, OVERVIEW, _overview_context(user, form), status=400)
