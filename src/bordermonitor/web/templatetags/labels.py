"""Translated names of coded values for templates: ``{{ report.status|status_label }}``,
``{{ evidence.kind|evidence_kind_label }}`` (the models' own display names are English codes)."""

from __future__ import annotations

from django import template

from bordermonitor.web.reports.labels import EVIDENCE_KINDS, STATUSES

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    return str(STATUSES.get(code, code))


@register.filter
def evidence_kind_label(code: str) -> str:
    return str(EVIDENCE_KINDS.get(code, code))
