"""The administration site: organisations, accounts and roles, stakeholders; records read-mostly, audit read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bordermonitor.storage.models import (
    ActionPlan,
    ActionPlanMeasure,
    ActionPlanTarget,
    AuditEvent,
    CharterSignature,
    CharterVersion,
    EngagementEvent,
    Evidence,
    Incident,
    Membership,
    Organisation,
    Report,
    ReportTransition,
    Stakeholder,
    User,
)
from bordermonitor.storage.models.sealed import sealed_fields


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "created_at")
    search_fields = ("code", "name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "is_active", "is_staff", "last_login")
    search_fields = ("email", "display_name")
    list_filter = ("is_active", "is_staff", "memberships__organisation")
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("email", "display_name", "password")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")


class ReadOnly:
    """Records change only through the validation layer (imports now, the workflow's forms later): the admin
    shows them and never edits, adds or deletes them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EvidenceInline(ReadOnly, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("position", "kind", "description", "path", "sha256", "size", "stored")


class TransitionInline(ReadOnly, admin.TabularInline):
    model = ReportTransition
    extra = 0
    fields = ("at", "source", "target", "actor", "comment")


@admin.register(Report)
class ReportAdmin(ReadOnly, admin.ModelAdmin):
    """Reports by ref. The sealed fields (title, narratives, names, the source's row) are neither listed,
    searched nor shown: the database holds only their tokens, and they are read on the record page, which
    checks who may read them and records that they did (``view`` audit events); the admin does neither."""

    list_display = ("ref", "organisation", "kind", "status", "date_start", "expelled_to", "flagged")
    list_filter = ("status", "kind", "flagged", "organisation", "source_name", "date_precision")
    search_fields = ("ref",)
    search_help_text = _("Search by reference: titles and narratives are sealed and cannot be searched.")
    exclude = tuple(sealed_fields(Report))
    date_hierarchy = "date_start"
    inlines = (EvidenceInline, TransitionInline)
    list_per_page = 50


@admin.register(Incident)
class IncidentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("ref", "organisation", "created_at")
    search_fields = ("ref",)
    list_filter = ("organisation",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("at", "actor", "organisation", "action", "object_type", "object_ref")
    list_filter = ("action", "object_type", "organisation")
    search_fields = ("object_ref", "actor")


# The register and the mobilisation log change on the coordinators' pages (``/stakeholders/``, ``/charter/``),
# which write the audit events and the engagement events that plans, measures and signatures imply: read-only here.


@admin.register(Stakeholder)
class StakeholderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "country", "parent")
    list_filter = ("kind", "country")
    search_fields = ("code", "name")


class TargetInline(ReadOnly, admin.TabularInline):
    model = ActionPlanTarget
    extra = 0
    fields = ("area", "violence")


class MeasureInline(ReadOnly, admin.TabularInline):
    model = ActionPlanMeasure
    extra = 0
    fields = ("description", "owner", "due_on", "status", "implemented_on")


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "stakeholder", "status", "adopted_on")
    list_filter = ("status",)
    search_fields = ("title", "stakeholder__code")
    inlines = (TargetInline, MeasureInline)


@admin.register(EngagementEvent)
class EngagementEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("on", "stakeholder", "stage", "recorded_by", "recorded_at")
    list_filter = ("stage",)
    search_fields = ("stakeholder__code",)
    date_hierarchy = "on"


class SignatureInline(ReadOnly, admin.TabularInline):
    model = CharterSignature
    extra = 0
    fields = ("stakeholder", "signed_on", "signed_by")


@admin.register(CharterVersion)
class CharterVersionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("version", "title", "published_on")
    inlines = (SignatureInline,)
