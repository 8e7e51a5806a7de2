"""The audit log: writing events onto the hash chain, and checking the chain.

Writing: the actor is set once per request (web middleware) or per command (CLI) with :func:`acting_as`; model
saves and deletes of reports and incidents write their event through signals, other paths call :func:`record`
(one event) or build :func:`event_rows` and hand them to :func:`append` (many, in one pass). :func:`append` is
the only writer: saving an ``AuditEvent`` and ``AuditEvent.objects.bulk_create`` go through it too. It takes
the log's lock (PostgreSQL: a transaction-level advisory lock; SQLite: the write lock every transaction takes
when it begins), reads the head, and gives each event the next ``seq``, the ``prev_hash`` and its ``hash``,
so two writers never fork the chain; the unique ``seq`` makes the database refuse a fork if anything else
ever tried.

Checking: :func:`verify` reads the log straight from the database in ``seq`` order, recomputes every hash and
stops at the first entry that breaks the chain (``bordermonitor audit verify``); :func:`head` is the current
end of the chain, to be kept elsewhere and checked later (``bordermonitor audit head``). The recipe is in
``docs/audit.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from bordermonitor.storage.models import AuditEvent, Incident, Report
from bordermonitor.storage.models.audit import ZERO_HASH, canonical_details, chain_message, chain_time
from bordermonitor.storage.repositories.bulk import allocate_ids, insert_rows

__all__ = [
    "Break",
    "Entry",
    "Head",
    "HeadMismatch",
    "HeadsFileError",
    "Verification",
    "acting_as",
    "append",
    "current_actor",
    "event_rows",
    "head",
    "read_heads",
    "record",
    "record_read",
    "verify",
]

_actor: ContextVar[str] = ContextVar("bordermonitor_actor", default="system")
LOCK_KEY = 7_364_235_125_432_189_001
"""The PostgreSQL advisory lock key every writer of the log takes (any fixed 64-bit number)."""
TABLE = AuditEvent._meta.db_table


def current_actor() -> str:
    return _actor.get()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Attribute the audit events written inside the block to ``actor`` ('user:12', 'cli', …)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


# --- writing ------------------------------------------------------------------------------------------------


def event_rows(
    action: str,
    object_type: str,
    objects: Iterable[tuple[int | None, str | None, str | None]],
    *,
    details: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Event rows, one per ``(object id, ref, organisation code)``, by the current actor, now, for
    :func:`append`."""
    now = timezone.now()
    actor = current_actor()
    return [
        {
            "at": now,
            "actor": actor,
            "organisation": organisation,
            "action": action,
            "object_type": object_type,
            "object_id": pk,
            "object_ref": ref,
            "details": details or {},
        }
        for pk, ref, organisation in objects
    ]


def _lock_and_read_head(cursor: Any) -> tuple[int, str]:
    """Take the log's lock for the rest of the transaction, then read the end of the chain (0 and 64 zeros
    when the log is empty). SQLite needs no lock of its own: the transaction holds the database's write lock
    from its first statement (``transaction_mode=IMMEDIATE``)."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    cursor.execute(f"SELECT seq, hash FROM {TABLE} ORDER BY seq DESC LIMIT 1")  # noqa: S608 - the model's table
    found = cursor.fetchone()
    return (0, ZERO_HASH) if found is None else (int(found[0]), str(found[1]))


def append(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Add ``rows`` (``at``, ``actor``, ``organisation``, ``action``, ``object_type``, ``object_id``,
    ``object_ref``, ``details``; as :func:`event_rows` makes them) to the end of the chain, in order, in one
    transaction; the rows as stored, with ``id``, ``seq``, ``prev_hash`` and ``hash``.

    The hashes are computed here in one pass (a batch shares its time and details objects: each is encoded
    once) and the rows inserted in bulk; the lock is held until the caller's transaction ends.
    """
    if not rows:
        return []
    texts: dict[int, tuple[str, Any]] = {}  # id(details) → (canonical text, the value stored)
    times: dict[dt.datetime, tuple[dt.datetime, str]] = {}  # time given → (stored in UTC, text hashed)
    sha256 = hashlib.sha256
    with transaction.atomic(), connection.cursor() as cursor:
        seq, prev_hash = _lock_and_read_head(cursor)
        ids = allocate_ids(AuditEvent, len(rows))
        stored: list[dict[str, Any]] = []
        for pk, row in zip(ids, rows, strict=True):
            details = row.get("details")
            encoded: tuple[str, Any] | None
            if not details and isinstance(details, dict | None):
                encoded = ("{}", {})
            elif (encoded := texts.get(id(details))) is None:  # a batch shares one details object: once
                text = canonical_details(details)
                encoded = texts[id(details)] = (text, json.loads(text))
            given = row.get("at") or timezone.now()
            at = times.get(given)
            if at is None:
                utc = given.astimezone(dt.UTC) if given.tzinfo else given.replace(tzinfo=dt.UTC)
                at = times[given] = (utc, chain_time(utc))
            seq += 1
            event = {
                "id": pk,
                "seq": seq,
                "at": at[0],
                "actor": row["actor"],
                "organisation": row.get("organisation"),
                "action": row["action"],
                "object_type": row["object_type"],
                "object_id": row.get("object_id"),
                "object_ref": row.get("object_ref"),
                "details": encoded[1],
                "prev_hash": prev_hash,
            }
            prev_hash = event["hash"] = sha256(
                chain_message(
                    seq=seq,
                    at=at[1],
                    actor=event["actor"],
                    organisation=event["organisation"],
                    action=event["action"],
                    object_type=event["object_type"],
                    object_id=event["object_id"],
                    object_ref=event["object_ref"],
                    details=encoded[0],
                    prev_hash=event["prev_hash"],
                )
            ).hexdigest()
            stored.append(event)
        insert_rows(AuditEvent, stored)
    return stored


def _organisation_code(obj: models.Model) -> str | None:
    organisation = getattr(obj, "organisation", None)
    return organisation.code if organisation is not None else None


def record(
    action: str,
    obj: models.Model,
    *,
    details: dict[str, Any] | None = None,
    ref: str | None = None,
    organisation: str | None = None,
) -> AuditEvent:
    """Write one event about ``obj`` now: a report or incident (its ref and organisation are taken from it),
    or another stored object (a pair of reports, a draft), named by ``ref`` and ``organisation`` if given."""
    (row,) = event_rows(
        action,
        obj._meta.model_name or "",
        [(obj.pk, ref or getattr(obj, "ref", None), organisation or _organisation_code(obj))],
        details=details,
    )
    event = AuditEvent()
    (stored,) = append([row])
    event.took(stored)
    return event


def record_read(
    reports: Sequence[Report], *, details: dict[str, Any] | None = None, action: str = "view"
) -> AuditEvent | None:
    """One event for one read of several reports at once (a page of a list, a search): about ``report`` with
    no id, the reports' ids in ``details["reports"]``, the organisation when they are all of one. None (and
    nothing written) when ``reports`` is empty."""
    if not reports:
        return None
    organisations = {_organisation_code(report) for report in reports}
    organisation = organisations.pop() if len(organisations) == 1 else None
    rows = event_rows(
        action,
        "report",
        [(None, None, organisation)],
        details={**(details or {}), "reports": [report.pk for report in reports]},
    )
    event = AuditEvent()
    (stored,) = append(rows)
    event.took(stored)
    return event


def _on_save(sender: type[Report | Incident], instance: Report | Incident, created: bool, **_: Any) -> None:
    record("create" if created else "update", instance)


def _on_delete(sender: type[Report | Incident], instance: Report | Incident, **_: Any) -> None:
    record("delete", instance)


def connect() -> None:
    for model in (Report, Incident):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"audit-save-{model.__name__}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"audit-delete-{model.__name__}")


# --- reading the chain as stored ----------------------------------------------------------------------------

COLUMNS = ("id", "seq", "at", "actor", "organisation", "action", "object_type", "object_id", "object_ref",
           "details", "prev_hash", "hash")  # fmt: skip


def stored_time(value: Any) -> str:
    """An ``at`` as the database driver returns it (SQLite: text in UTC, or a naive datetime in UTC when
    Django's converter read it; PostgreSQL: a datetime), as hashed."""
    if isinstance(value, str):
        if value[10:11] == " " and value[4:5] == "-":  # SQLite's form: 2024-05-01 12:00:00[.123456]
            if len(value) == 26:
                return f"{value[:10]}T{value[11:]}Z"
            if len(value) == 19:
                return f"{value[:10]}T{value[11:]}.000000Z"
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} is not a time")
    return chain_time(value)


def stored_details(value: Any, known: dict[str, str] | None = None) -> str:
    """``details`` as the database driver returns it (JSON text, or already decoded), as hashed; ``known``
    keeps the texts already encoded (the rows of a batch share their details)."""
    if value == "{}":
        return "{}"
    if isinstance(value, bytes):
        value = value.decode()
    if not isinstance(value, str):
        return canonical_details(value)
    if known is None:
        return canonical_details(json.loads(value))
    text = known.get(value)
    if text is None:
        if len(known) > 10_000:
            known.clear()
        text = known[value] = canonical_details(json.loads(value))
    return text


def stored_hash(row: Sequence[Any], known: dict[str, str] | None = None) -> str:
    """The hash a stored row (``COLUMNS``) should carry, from its content and its own ``prev_hash``."""
    return hashlib.sha256(
        chain_message(
            seq=row[1],
            at=stored_time(row[2]),
            actor=row[3],
            organisation=row[4],
            action=row[5],
            object_type=row[6],
            object_id=row[7],
            object_ref=row[8],
            details=stored_details(row[9], known),
            prev_hash=row[10],
        )
    ).hexdigest()


def stored_rows(*, chunk: int = 10_000) -> Generator[tuple[Any, ...], None, None]:
    """Every row of the log (``COLUMNS``), in ``seq`` order, fetched ``chunk`` at a time (PostgreSQL: through
    a server-side cursor, so a log of millions of events is never held in memory at once)."""
    # SQLite: the time as the text it stores (Django's converter would parse it into a datetime first).
    columns = ", ".join(
        "CAST(at AS TEXT)" if c == "at" and connection.vendor == "sqlite" else c for c in COLUMNS
    )
    sql = f"SELECT {columns} FROM {TABLE} ORDER BY seq, id"  # noqa: S608 - the model's table
    # One statement reads one snapshot. PostgreSQL's server-side cursor needs a transaction (outside one it
    # would copy the whole result first); SQLite needs none, and a transaction would take its write lock.
    snapshot = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with snapshot, connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(chunk):
            yield from batch


# --- verifying ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """An entry named in a report of the check."""

    id: int
    seq: int | None
    at: str
    actor: str
    action: str
    object_type: str
    object_id: int | None
    object_ref: str | None

    @classmethod
    def of(cls, row: Sequence[Any]) -> Entry:
        try:
            at = stored_time(row[2])
        except (TypeError, ValueError):
            at = str(row[2])
        return cls(row[0], row[1], at, row[3], row[5], row[6], row[7], row[8])

    def __str__(self) -> str:
        what = " ".join(str(part) for part in (self.object_type, self.object_id, self.object_ref) if part)
        return f"seq {self.seq} (id {self.id}, {self.at}, {self.actor} {self.action} {what})"


@dataclass(frozen=True, slots=True)
class Break:
    """Where the chain breaks: at position ``seq``, for ``problem`` (``hash``, ``prev_hash``, ``inserted``,
    ``gap`` or ``order``), said in ``message``; ``entry`` is the entry found there."""

    seq: int
    problem: str
    message: str
    entry: Entry


@dataclass(frozen=True, slots=True)
class Head:
    """The end of the chain: its last entry's ``seq``, ``hash`` and time, and how many entries it has."""

    seq: int
    hash: str
    at: str | None
    entries: int

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True, slots=True)
class HeadMismatch:
    """A head kept earlier (line ``line`` of the heads file) that the chain no longer has."""

    line: int
    kept: Head
    message: str


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    head: Head
    broken: Break | None
    heads_checked: int
    head_mismatch: HeadMismatch | None

    @property
    def ok(self) -> bool:
        return self.broken is None and self.head_mismatch is None

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": asdict(self.head),
            "broken": None if self.broken is None else asdict(self.broken),
            "heads_checked": self.heads_checked,
            "head_mismatch": None if self.head_mismatch is None else asdict(self.head_mismatch),
        }


def _check(
    row: Sequence[Any],
    expected: int,
    link: str,
    link_before: str | None,
    previous: Sequence[Any] | None,
    known: dict[str, str],
) -> Break | None:
    """What is wrong with ``row``, found where position ``expected`` should be, after the entry ``previous``
    whose hash is ``link`` (and an entry before that whose hash is ``link_before``); None when it continues the
    chain. The checks run in the order that names the cause: position, link to the entry before, content."""
    seq = row[1]
    if type(seq) is not int or seq < expected:  # SQLite keeps whatever is written: text, a fraction, nothing
        claimed = f"claims seq {seq}" if type(seq) is int else f"has no seq (it holds {seq!r})"
        where = (
            "already taken by the entry before it" if seq == expected - 1 else f"where seq {expected} is next"
        )
        return Break(
            expected - 1 if seq == expected - 1 else expected,
            "order",
            f"seq out of order: the entry {claimed}, {where}",
            Entry.of(row),
        )
    if seq > expected:
        missing = f"seq {expected}" if seq == expected + 1 else f"seq {expected} to {seq - 1}"
        return Break(
            expected, "gap", f"seq gap: entries missing ({missing}) before this entry", Entry.of(row)
        )
    if row[10] != link:
        if previous is not None and link_before is not None and row[10] == link_before:
            return Break(
                previous[1],
                "inserted",
                f"entry inserted: the entry after it (seq {seq}) links past it, to the entry before it",
                Entry.of(previous),
            )
        return Break(seq, "prev_hash", "prev_hash does not match the previous entry's hash", Entry.of(row))
    if stored_hash(row, known) != row[11]:
        return Break(seq, "hash", "hash does not match its content", Entry.of(row))
    return None


def verify(heads: Sequence[tuple[int, Head]] = ()) -> Verification:
    """Recompute the chain from the database, stopping at the first broken entry; then check that each head
    kept earlier (``(line, head)`` pairs, from :func:`read_heads`) is still in the chain, at its ``seq`` with its
    hash, and name the first that is not. Reads only: works on a copy of the database, with the site stopped."""
    wanted = {kept.seq for _, kept in heads}
    found: dict[int, str] = {0: ZERO_HASH}  # seq → hash at the kept heads' positions
    expected, link, link_before = 1, ZERO_HASH, None
    previous: Sequence[Any] | None = None
    known: dict[str, str] = {}  # details text → canonical text
    entries = 0
    broken = None
    with closing(stored_rows()) as rows:
        for row in rows:
            broken = _check(row, expected, link, link_before, previous, known)
            if broken is not None:
                break
            entries += 1
            if row[1] in wanted:
                found[row[1]] = row[11]
            link_before, link, expected, previous = link, row[11], row[1] + 1, row
    end = Head(0, ZERO_HASH, None, 0)
    if previous is not None:
        end = Head(previous[1], previous[11], stored_time(previous[2]), entries)
    mismatch = None
    if broken is None:
        for line, kept in heads:
            now = found.get(kept.seq)
            if now is None:
                message = (
                    f"the chain ends at seq {end.seq}, before this head: entries from seq {end.seq + 1} on "
                    "are gone (truncated)"
                )
            elif now != kept.hash:
                message = f"the entry at seq {kept.seq} has another hash now: the chain was rewritten"
            else:
                continue
            mismatch = HeadMismatch(line, kept, message)
            break
    return Verification(entries, end, broken, len(heads), mismatch)


def head() -> Head:
    """The end of the chain as stored now (``seq`` 0 and 64 zeros when the log is empty)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash, at FROM {TABLE} ORDER BY seq DESC LIMIT 1")  # noqa: S608
        last = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 - the model's table
        (entries,) = cursor.fetchone()
    if last is None:
        return Head(0, ZERO_HASH, None, 0)
    return Head(int(last[0]), str(last[1]), stored_time(last[2]), int(entries))


class HeadsFileError(ValueError):
    """A line of a heads file is not a head written by ``bordermonitor audit head``."""


def read_heads(path: Path) -> list[tuple[int, Head]]:
    """The heads kept in ``path`` (one JSON object a line, as :meth:`Head.to_json` writes them), with their
    line numbers; blank lines are skipped."""
    heads = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            kept = Head(int(data["seq"]), str(data["hash"]), data.get("at"), int(data.get("entries", 0)))
        except (ValueError, TypeError, KeyError) as exc:
            raise HeadsFileError(f"{path}: line {number} is not a head ({exc})") from None
        if kept.seq < 0 or len(kept.hash) != 64:
            raise HeadsFileError(f"{path}: line {number} is not a head (seq or hash out of shape)")
        heads.append((number, kept))
    return heads
