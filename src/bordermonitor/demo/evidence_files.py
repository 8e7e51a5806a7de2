"""Small evidence files for synthetic reports: valid PNG photos of random pixels and one-page PDF reports.

Each file is a few hundred bytes of a valid format, so thousands can be written and imported with their
SHA-256, and holds no metadata to strip. Their descriptions and the text on the pages are invented demo material: they show no
one's injuries or papers, and no real person appears.
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["EVIDENCE_KIND_WEIGHTS", "write_evidence"]

EVIDENCE_KIND_WEIGHTS: tuple[tuple[str, int], ...] = (("photo", 6), ("medical_report", 3), ("document", 1))
"""How often each evidence kind is attached, relative to the others."""

_DOCUMENTS = {  # kind: title, description, what the page says
    "medical_report": ("medical report", "medical report from a clinic", "Contusions on back and arms."),
    "document": ("document", "notice handed to the group", "Notice handed to the group."),
}
_PHOTO_DESCRIPTIONS = (
    "bruises on the back",
    "dog bite on the leg",
    "swollen wrist",
    "injuries on the arm",
    "burned belongings at the border",
    "broken phone",
)


def _png(rng: random.Random, side: int = 10) -> bytes:
    """A tiny valid RGB PNG of random pixels (no text chunks: nothing for metadata stripping to find)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = b"".join(b"\x00" + rng.randbytes(3 * side) for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF showing ``lines`` (ASCII) in Helvetica, with a correct cross-reference table."""
    text = " 0 -16 Td ".join(f"({line})Tj" for line in lines)
    stream = f"BT /F1 11 Tf 36 120 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 320 160] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_evidence(
    directory: Path, ref: str, kinds: Sequence[str], rng: random.Random
) -> list[dict[str, Any]]:
    """Small files for one report under ``directory/evidence/<ref>/``, referenced as interchange v1 evidence.

    Contents come from ``rng``, a stream of this report's own, so writing them changes no other record.
    """
    folder = directory / "evidence" / ref
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for number, kind in enumerate(kinds, start=1):
        if kind == "photo":
            name, data, description = f"photo-{number}.png", _png(rng), rng.choice(_PHOTO_DESCRIPTIONS)
        else:
            title, description, note = _DOCUMENTS[kind]
            name = f"{kind.replace('_', '-')}-{number}.pdf"
            data = _pdf((f"Synthetic {title} (demo data)", f"Report {ref}, file {number}", note))
        (folder / name).write_bytes(data)
        out.append(
            {
                "path": f"evidence/{ref}/{name}",
                "kind": kind,
                "sha256": hashlib.sha256(data).hexdigest(),
                "description": description,
            }
        )
    return out
