"""Organisations, accounts and roles."""

from __future__ import annotations

import secrets

from django.db import transaction

from bordermonitor.storage.access import Access, NotVisible
from bordermonitor.storage.models import Membership, Organisation, User

__all__ = [
    "UnknownOrganisation",
    "add_organisation",
    "add_user",
    "managed_organisation",
    "members_of",
    "remember_language",
    "remove_role",
    "set_sharing",
]


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
