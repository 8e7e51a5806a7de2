"""Organisations, accounts and roles; each account's second factor and the throttling of failed sign-ins.

Second factor (docs/access.md): a TOTP authenticator (RFC 6238) per account, required for reviewers,
coordinators, admins and the network's site administrators, optional for everyone else; a code is accepted
once (the last accepted time step is kept, an older or equal one is a replay); ten single-use recovery codes,
kept as SHA-256 digests. Throttling: at most :data:`MAX_FAILURES` failed sign-ins per :data:`WINDOW` per
account and per client address, counted in the database so every process sees the same count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import Enum

import pyotp
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from bordermonitor.storage.access import Access, NotVisible
from bordermonitor.storage.models import Membership, Organisation, User
from bordermonitor.storage.models.accounts import LoginFailure, RecoveryCode, SecondFactor

__all__ = [
    "MAX_FAILURES",
    "RECOVERY_CODES",
    "SECOND_FACTOR_ROLES",
    "WINDOW",
    "Attempt",
    "CodeCheck",
    "UnknownOrganisation",
    "add_organisation",
    "add_user",
    "begin_attempt",
    "check_code",
    "confirm_enrolment",
    "confirmed_second_factor",
    "end_sessions",
    "enrol_second_factor",
    "failure_keys",
    "managed_organisation",
    "members_of",
    "new_recovery_codes",
    "now",
    "pending_enrolment",
    "provisioning_uri",
    "recovery_codes_left",
    "remember_language",
    "remove_role",
    "remove_second_factor",
    "reset_second_factor",
    "second_factor_required",
    "set_sharing",
    "succeeded",
]

SECOND_FACTOR_ROLES = frozenset({"reviewer", "coordinator", "admin"})
MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=1)
RECOVERY_CODES = 10
STEP_SECONDS = 30
ISSUER = "bordermonitor"
# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand is not mistyped
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_READS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def now() -> dt.datetime:
    """The clock every check here reads (tests move it instead of sleeping)."""
    return timezone.now()


class UnknownOrganisation(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"no organisation {code!r}; add it first with: bordermonitor org add {code} --name NAME"
        )


def add_organisation(
    *, code: str, name: str, shares_with_network: bool | None = None
) -> tuple[Organisation, bool]:
    """Add or rename an organisation; ``shares_with_network`` (None: leave as it is, new ones do not share)
    lets network coordinators see its reports whose source consented to sharing."""
    defaults: dict[str, object] = {"name": name}
    if shares_with_network is not None:
        defaults["shares_with_network"] = shares_with_network
    organisation, created = Organisation.objects.update_or_create(
        code=code.strip().lower(), defaults=defaults
    )
    return organisation, created


def add_user(
    *, email: str, organisation: str, role: str, password: str | None = None, site_admin: bool = False
) -> tuple[User, str | None]:
    """Give ``email`` the ``role`` in ``organisation``, creating the account if needed.

    Returns the account and, for a new account, its password (generated unless given) — shown once, stored
    only as an argon2id hash. Roles hold in their organisation only; ``site_admin`` (the network's technical
    administrator, who sees every organisation's records in the administration site) is given explicitly.
    """
    target = Organisation.objects.filter(code=organisation.strip().lower()).first()
    if target is None:
        raise UnknownOrganisation(organisation)
    with transaction.atomic():
        account = User.objects.filter(email__iexact=email.strip()).first()
        new_password = None
        if account is None:
            new_password = password or secrets.token_urlsafe(15)
            account = User.objects.create_user(email.strip(), new_password)
        if site_admin and not (account.is_staff and account.is_superuser):
            account.is_staff = account.is_superuser = True
            account.save(update_fields=["is_staff", "is_superuser"])
        Membership.objects.get_or_create(user=account, organisation=target, role=role)
    return account, new_password


def remember_language(*, user_id: int, language: str) -> None:
    """Keep the interface language a person chose on their account."""
    User.objects.filter(pk=user_id).update(language=language)


def managed_organisation(access: Access, pk: int) -> Organisation:
    """The organisation ``pk`` if the person is one of its admins, else :class:`NotVisible` (pages: 404)."""
    if not access.can_manage_users(pk):
        raise NotVisible(pk)
    return Organisation.objects.get(pk=pk)


def members_of(organisation: Organisation) -> list[tuple[User, list[str]]]:
    """The organisation's accounts with their roles in it, by e-mail."""
    roles: dict[int, list[str]] = {}
    users: dict[int, User] = {}
    for membership in organisation.memberships.select_related("user").order_by("user__email", "role"):
        roles.setdefault(membership.user_id, []).append(membership.role)
        users[membership.user_id] = membership.user
    return [(users[pk], roles[pk]) for pk in users]


def remove_role(*, organisation: Organisation, user_id: int, role: str, by: int) -> bool:
    """Take ``role`` in ``organisation`` from an account; an admin cannot take their own admin role (the
    organisation would risk having none)."""
    if user_id == by and role == "admin":
        return False
    deleted, _ = Membership.objects.filter(organisation=organisation, user_id=user_id, role=role).delete()
    return bool(deleted)


def set_sharing(*, organisation: Organisation, shares: bool) -> None:
    """Whether the network's coordinators see this organisation's reports whose source consented."""
    Organisation.objects.filter(pk=organisation.pk).update(shares_with_network=shares)
    organisation.shares_with_network = shares


# --- second factor ---------------------------------------------------------------------------------------


def second_factor_required(user: User) -> bool:
    """Whether the account must sign in with a second factor: site administrators, and anyone who is a
    reviewer, coordinator or admin in any organisation."""
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, role__in=SECOND_FACTOR_ROLES).exists()


def confirmed_second_factor(user: User) -> SecondFactor | None:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def pending_enrolment(user: User) -> SecondFactor | None:
    """The account's authenticator waiting for its first code, created on first ask and kept until confirmed
    (reloading the page shows the same key); None when one is already confirmed."""
    device, _ = SecondFactor.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32(32)})
    return None if device.confirmed_at else device


def provisioning_uri(device: SecondFactor, *, email: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(device.secret).provisioning_uri(name=email, issuer_name=ISSUER)


class CodeCheck(Enum):
    ACCEPTED = "accepted"
    RECOVERY = "recovery"  # a recovery code opened it (and is now used up)
    REPLAYED = "replayed"  # a right code, already used
    WRONG = "wrong"


def _step(at: dt.datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


@sensitive_variables("device", "code")
def _totp_step(device: SecondFactor, code: str, at: dt.datetime) -> int | None:
    """The time step (now, or one either side for a clock a little off) whose code ``code`` is, if any."""
    totp = pyotp.TOTP(device.secret)
    current = _step(at)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


@sensitive_variables("code")
def check_code(user: User, code: str, *, at: dt.datetime | None = None) -> CodeCheck:
    """Check a code from the account's authenticator (six digits) or one of its recovery codes.

    A code whose time step is not newer than the last accepted one is refused as a replay; the step is
    advanced with a conditional update, so two requests racing with one code cannot both succeed.
    """
    at = at or now()
    device = confirmed_second_factor(user)
    if device is None:
        return CodeCheck.WRONG
    code = _normalised(code)
    if len(code) == 6 and code.isdigit():
        step = _totp_step(device, code, at)
        if step is None:
            return CodeCheck.WRONG
        advanced = SecondFactor.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
        return CodeCheck.ACCEPTED if advanced else CodeCheck.REPLAYED
    digest = _recovery_digest(code)
    used = RecoveryCode.objects.filter(user=user, digest=digest, used_at__isnull=True).update(used_at=at)
    return CodeCheck.RECOVERY if used else CodeCheck.WRONG


@sensitive_variables("code", "device")
def confirm_enrolment(user: User, code: str, *, at: dt.datetime | None = None) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; returns the new recovery codes (shown once),
    or None when the code is not the app's current one."""
    at = at or now()
    device = SecondFactor.objects.filter(user=user, confirmed_at__isnull=True).first()
    code = _normalised(code)
    if device is None or len(code) != 6 or not code.isdigit():
        return None
    step = _totp_step(device, code, at)
    if step is None:
        return None
    with transaction.atomic():
        confirmed = SecondFactor.objects.filter(pk=device.pk, confirmed_at__isnull=True).update(
            confirmed_at=at, last_step=step
        )
        return new_recovery_codes(user) if confirmed else None


@sensitive_variables("secret")
def enrol_second_factor(*, user: User, secret: str | None = None) -> tuple[SecondFactor, list[str]]:
    """Give the account a confirmed authenticator directly (the demo, administrators' set-up scripts):
    ``secret`` in base32, random when omitted. Returns it and new recovery codes."""
    with transaction.atomic():
        device, _ = SecondFactor.objects.update_or_create(
            user=user,
            defaults={
                "secret": secret or pyotp.random_base32(32),
                "confirmed_at": now(),
                "last_step": 0,
            },
        )
        return device, new_recovery_codes(user)


def _recovery_digest(code: str) -> str:
    return hashlib.sha256(_normalised(code).translate(_RECOVERY_READS).encode("ascii", "replace")).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes (80 random bits each, ``XXXX-XXXX-XXXX-XXXX``); the earlier ones stop working.
    Only their digests are stored: the list returned is the only copy."""
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(4))
        for _ in range(RECOVERY_CODES)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_recovery_digest(c)) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def remove_second_factor(user: User) -> bool:
    """Remove the account's authenticator and recovery codes; True if it had one."""
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        deleted, _ = SecondFactor.objects.filter(user=user).delete()
    return bool(deleted)


def end_sessions(user: User) -> int:
    """End every signed-in session of the account (a lost or seized phone); returns how many."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def reset_second_factor(*, email: str) -> User | None:
    """For an administrator on the server: remove the account's authenticator and recovery codes and end its
    sessions; the person enrols again at their next sign-in. None when there is no such account."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return None
    remove_second_factor(user)
    end_sessions(user)
    return user


# --- throttling of failed sign-ins -----------------------------------------------------------------------


def _keyed(kind: str, value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{value}".encode("utf-8", "replace"), hashlib.sha256
    ).hexdigest()


def failure_keys(*, email: str, address: str) -> tuple[str, str]:
    """The throttling keys of a sign-in: the account as typed (case and spaces ignored, whether or not it
    exists) and the client address, each as a keyed hash (the database holds neither)."""
    return _keyed("account", email.strip().lower()), _keyed("address", address)


@dataclass(frozen=True, slots=True)
class Attempt:
    """A sign-in attempt counted against its keys at ``at``: ``retry_at`` is set when it is refused (too
    many failures), ``rows`` are its own failure rows (removed again if it succeeds)."""

    rows: tuple[int, ...]
    at: dt.datetime
    retry_at: dt.datetime | None

    @property
    def refused(self) -> bool:
        return self.retry_at is not None


def begin_attempt(keys: tuple[str, ...], *, at: dt.datetime | None = None) -> Attempt:
    """Count an attempt as a failure before the password or code is checked, so requests racing each other
    cannot get more than :data:`MAX_FAILURES` checks between them: it is refused (its rows removed, nothing
    checked) when a key already has that many failures in the last :data:`WINDOW`. The caller calls
    :func:`succeeded` if the check passes; a failure simply stays counted."""
    at = at or now()
    since = at - WINDOW
    LoginFailure.objects.filter(at__lte=since).delete()  # the window has passed: no count needs them
    rows = LoginFailure.objects.bulk_create(LoginFailure(key=key, at=at) for key in keys)
    own = tuple(row.pk for row in rows)
    retry_at = None
    for key in keys:
        earlier = list(
            LoginFailure.objects.filter(key=key, at__gt=since)
            .exclude(pk__in=own)
            .order_by("-at")
            .values_list("at", flat=True)[:MAX_FAILURES]
        )
        if len(earlier) >= MAX_FAILURES:
            free_at = earlier[MAX_FAILURES - 1] + WINDOW  # when the oldest of the last five leaves the window
            retry_at = free_at if retry_at is None else max(retry_at, free_at)
    if retry_at is not None:
        LoginFailure.objects.filter(pk__in=own).delete()
    return Attempt(rows=own, at=at, retry_at=retry_at)


def succeeded(attempt: Attempt) -> None:
    """The attempt's password or code was right: it is not a failure."""
    LoginFailure.objects.filter(pk__in=attempt.rows).delete()
