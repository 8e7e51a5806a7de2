"""Organisations, accounts and roles."""

from __future__ import annotations

import secrets

from django.db import transaction

from bordermonitor.storage.models import Membership, Organisation, User

__all__ = ["UnknownOrganisation", "add_organisation", "add_user"]


class UnknownOrganisation(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"no organisation {code!r}; add it first with: bordermonitor org add {code} --name NAME"
        )


def add_organisation(*, code: str, name: str) -> tuple[Organisation, bool]:
    organisation, created = Organisation.objects.update_or_create(
        code=code.strip().lower(), defaults={"name": name}
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
