"""Organisations of the network, person accounts, and each person's roles in each organisation."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ROLES = (
    ("documenter", _("Documenter")),
    ("reviewer", _("Reviewer")),
    ("coordinator", _("Coordinator")),
    ("analyst", _("Analyst")),
    ("admin", _("Administrator")),
)


class Organisation(models.Model):
    """A member of the network, by its short code (``nnk``, ``rigardu``)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    shares_with_network = models.BooleanField(
        default=False,
        help_text="Network coordinators see this organisation's reports whose source consented to sharing.",
    )
    auto_link = models.BooleanField(
        default=False,
        help_text="Cross-checking may link this organisation's reports without review "
        "(crosscheck --auto-threshold).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("an account needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person's account, identified by e-mail address; roles come from :class:`Membership`."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    language = models.CharField(
        max_length=10, null=True, blank=True, help_text="Interface language chosen by the person."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.display_name or self.email

    def roles_in(self, organisation: Organisation) -> set[str]:
        return set(self.memberships.filter(organisation=organisation).values_list("role", flat=True))


class Membership(models.Model):
    """One role of one person in one organisation; a person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=ROLES)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("user", "organisation", "role"), name="membership_unique_role"),
        )

    def __str__(self) -> str:
        return f"{self.user} — {self.role} @ {self.organisation.code}"


class SecondFactor(models.Model):
    """A person's authenticator app (TOTP, RFC 6238: SHA-1, 6 digits, 30-second steps).

    ``secret`` is the shared key in base32; it never appears in ``str()``, logs, the administration site or
    error pages. A device is usable once ``confirmed_at`` is set (the person typed a code from it).
    ``last_step`` is the time step of the last code accepted: a code of that step or an earlier one is refused,
    so each code opens at most one sign-in.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        state = "confirmed" if self.confirmed_at else "not confirmed"
        return f"second factor of account {self.user_id} ({state})"


class RecoveryCode(models.Model):
    """A single-use code that replaces the authenticator once (a lost phone); only its SHA-256 is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("user", "digest"), name="recovery_code_unique"),)

    def __str__(self) -> str:
        return f"recovery code {self.pk} of account {self.user_id}"


class LoginFailure(models.Model):
    """One failed (or still running) sign-in attempt, password or second factor, under one throttling key.

    ``key`` is a keyed hash of ``account:<e-mail address>`` or ``address:<client address>``, never either
    itself. Rows older than the throttling window are deleted as new ones arrive.
    """

    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = (
            models.Index(fields=("key", "at"), name="login_failure_key_at"),
            models.Index(fields=("at",), name="login_failure_at"),
        )

    def __str__(self) -> str:
        return f"failed sign-in at {self.at:%Y-%m-%d %H:%M:%S}"
