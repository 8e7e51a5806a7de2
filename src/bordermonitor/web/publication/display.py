"""What the publication pages say: texts cut into plain and highlighted pieces, and the labels of identifier
kinds, of what keeps a report out of the open data, and of the pipeline's counts.

Highlights are built as pieces (never as HTML strings), so every piece of a narrative is escaped by the
template like any other text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.anonymise import Span
from bordermonitor.words import WITHHELD

__all__ = [
    "COUNT_LABELS",
    "KINDS",
    "MISSING",
    "WITHHELD_LABELS",
    "Piece",
    "figures",
    "found_message",
    "pieces",
    "redaction_summary",
]

KINDS: dict[str, Promise] = {
    "name": _("name"),
    "phone": _("phone number"),
    "email": _("e-mail address"),
    "document": _("document number"),
    "plate": _("vehicle plate"),
}

MISSING: dict[str, Promise] = {
    "consent": _("The source has not consented to publication (consent to publish must be recorded as yes)."),
    "status": _("The report is not approved for publication yet (review status)."),
    "sharing": _(
        "The organisation does not share with the network: its records are not in the network's release."
    ),
}

# The pipeline's keys (``bordermonitor.publish.release``) in the reader's language; an unknown key is shown as is.
COUNT_LABELS: dict[str, Promise] = {
    "incidents": _("incidents"),
    "reports": _("reports eligible"),
    "evidence": _("evidence files"),
    "with narrative": _("incidents with an approved public narrative"),
    "with coordinates": _("incidents with coordinates"),
    "suppressed expelled_by cells": _("suppressed cells: expelled by"),
    "suppressed violence cells": _("suppressed cells: violence"),
    "suppressed nationality cells": _("suppressed cells: nationality"),
}
WITHHELD_LABELS = WITHHELD


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of a text: plain (``kind`` None) or an identifier of that kind."""

    text: str
    kind: str | None = None

    @property
    def label(self) -> str:
        return str(KINDS.get(self.kind or "", self.kind or ""))


def pieces(text: str | None, spans: Iterable[Span]) -> list[Piece]:
    """``text`` cut at ``spans`` (positions in ``text``): joined again, the pieces give ``text`` back.
    Spans overlapping an earlier one or outside the text are ignored."""
    if not text:
        return []
    out: list[Piece] = []
    at = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        start, end = max(span.start, at), min(span.end, len(text))
        if start >= end:
            continue
        if start > at:
            out.append(Piece(text[at:start]))
        out.append(Piece(text[start:end], span.kind))
        at = end
    if at < len(text):
        out.append(Piece(text[at:]))
    return out


def found_message(spans: Sequence[Span]) -> str:
    """What is still in a public text, for the reviewer to find it: kinds and the words themselves."""
    listed = ", ".join(f"{KINDS.get(span.kind, span.kind)} “{span.text}”" for span in spans)
    return gettext(
        "Still in this text: %(found)s. Remove it, or replace it by a placeholder such as [name]."
    ) % {"found": listed}


def redaction_summary(spans: Iterable[Span]) -> list[tuple[str, int]]:
    """How many identifiers of each kind the automatic redaction replaced, in the order of :data:`KINDS`."""
    counted = Counter(span.kind for span in spans)
    return [(str(label), counted[kind]) for kind, label in KINDS.items() if counted[kind]]


def figures(values: Mapping[str, int], labels: Mapping[str, Promise]) -> list[tuple[str, int]]:
    """``values`` labelled in the reader's language, in the pipeline's order."""
    return [(str(labels.get(key, key)), value) for key, value in values.items()]
