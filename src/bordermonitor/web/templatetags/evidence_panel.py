"""``{% evidence_panel report access as panel %}``: what the evidence partial shows, asked of storage.

A template cannot call ``access.can_edit(report)`` (methods with arguments), and pages should not query
models themselves; this tag asks :func:`bordermonitor.storage.evidence.panel_for` once per panel.
"""

from __future__ import annotations

from django import template

from bordermonitor.storage.access import Access
from bordermonitor.storage.evidence import Panel, panel_for
from bordermonitor.storage.models import Report

register = template.Library()


@register.simple_tag
def evidence_panel(report: Report, access: Access) -> Panel:
    return panel_for(access, report)
