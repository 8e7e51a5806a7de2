"""The audit log is a hash chain: a clean log verifies, and editing, deleting, reordering or inserting any entry
makes ``verify`` fail at that entry; a head kept elsewhere shows a chain cut short or rewritten.

The tampering here is what someone with access to the database could do: the append-only triggers are dropped
(as that person would) and the rows changed with plain SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.storage.audit import Head, acting_as, append, event_rows, head, record, verify
from bordermonitor.storage.models import AuditEvent, Organisation
from bordermonitor.storage.models.audit import ACTIONS, ZERO_HASH, chain_hash, chain_message

pytestmark = pytest.mark.django_db

APPEND_ONLY = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")
CONTENT = ("at", "actor", "organisation", "action", "object_type", "object_id", "object_ref", "details")


@contextmanager
def triggers_dropped() -> Iterator[Any]:
    """A cursor with the append-only triggers out of the way, as an attacker with database access would have
    it; they are made again afterwards."""
    with connection.cursor() as cursor:
        APPEND_ONLY.backwards(None, connection.schema_editor())
        try:
            yield cursor
        finally:
            APPEND_ONLY.forwards(None, connection.schema_editor())


def _sql(cursor: Any, statement: str, params: list[Any] | None = None) -> None:
    cursor.execute(statement, params or [])


def _row(seq: int) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, seq, {', '.join(CONTENT)}, prev_hash, hash FROM storage_auditevent WHERE seq = %s",  # noqa: S608
            [seq],
        )
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def clean_log(count: int = 20) -> list[AuditEvent]:
    """``count`` events of every kind the site writes: bulk rows, single records, JSON details, no details."""
    with acting_as("user:7"):
        append(event_rows("create", "report", [(n, f"nnk-{n}", "nnk") for n in range(1, 6)]))
        append(
            event_rows("view", "report", [(3, "nnk-3", "nnk")], details={"via": "api", "names": ["Ána", "Б"]})
        )
        for n in range(6, count - 3):
            append(
                event_rows("update", "report", [(n, f"rig-{n}", "rigardu")], details={"step": n, "w": 0.25})
            )
    with acting_as("cli"):
        organisation = Organisation.objects.create(code="nnk", name="NNK")
        AuditEvent.objects.create(actor="cli", action="export", object_type="report", details={"count": 3})
        record("share", organisation, ref="nnk", details={"with": "network"})
        append(
            event_rows("publish", "release", [(0, "2024-05-01", None)], details={"counts": {"reports": 5}})
        )
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) == count
    return events


def test_a_clean_log_verifies_and_its_seqs_run_from_one_without_a_gap() -> None:
    events = clean_log()
    assert [e.seq for e in events] == list(range(1, 21))
    assert events[0].prev_hash == ZERO_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    result = verify()
    assert result.ok and result.broken is None
    assert result.entries == 20
    assert (result.head.seq, result.head.hash, result.head.entries) == (20, events[-1].hash, 20)
    assert head() == result.head


def test_an_empty_log_verifies() -> None:
    result = verify()
    assert result.ok and result.entries == 0
    assert result.head == Head(0, ZERO_HASH, None, 0)


def test_the_documented_recipe_recomputes_every_hash() -> None:
    """docs/audit.md's recipe, written out again from the text, gives the hash stored for every entry."""
    clean_log()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, {', '.join(CONTENT)}, prev_hash, hash FROM storage_auditevent ORDER BY seq"  # noqa: S608
        )
        rows = cursor.fetchall()
    previous = "0" * 64
    for (
        seq,
        at,
        actor,
        organisation,
        action,
        object_type,
        object_id,
        object_ref,
        details,
        prev,
        stored,
    ) in rows:
        if isinstance(at, str):  # SQLite: the text it stores, in UTC
            at = dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC)
        at_text = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        value = json.loads(details) if isinstance(details, str) else details
        message = json.dumps(
            [
                "bordermonitor-audit/1",
                seq,
                at_text,
                actor,
                organisation,
                action,
                object_type,
                object_id,
                object_ref,
                value,
                prev,
            ],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        assert prev == previous
        assert hashlib.sha256(message.encode("utf-8")).hexdigest() == stored
        previous = stored


# --- the tamper matrix --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field", ["actor", "action", "object_ref", "object_id", "organisation", "details", "at"]
)
@pytest.mark.parametrize("k", [1, 7, 20])
def test_editing_an_entry_breaks_the_chain_at_that_entry(field: str, k: int) -> None:
    clean_log()
    old = _row(k)
    new: Any = {
        "actor": "user:999",
        "action": "delete" if old["action"] != "delete" else "view",
        "object_ref": "forged",
        "object_id": (old["object_id"] or 0) + 1,
        "organisation": "other" if old["organisation"] != "other" else None,
        "details": json.dumps({"forged": True}),
        "at": connection.ops.adapt_datetimefield_value(
            AuditEvent.objects.get(seq=k).at + dt.timedelta(microseconds=1)
        ),
    }[field]
    with triggers_dropped() as cursor:
        cursor.execute(f"UPDATE storage_auditevent SET {field} = %s WHERE seq = %s", [new, k])  # noqa: S608
    result = verify()
    assert not result.ok
    assert result.broken is not None
    assert (result.broken.seq, result.broken.problem) == (k, "hash")
    assert result.broken.entry.id == old["id"]
    assert result.entries == k - 1


@pytest.mark.parametrize("k", [1, 2, 11, 20])
def test_deleting_an_entry_breaks_the_chain_where_it_was(k: int) -> None:
    clean_log()
    with triggers_dropped() as cursor:
        _sql(cursor, "DELETE FROM storage_auditevent WHERE seq = %s", [k])
    result = verify()
    if k == 20:  # the last entry: the chain alone cannot tell (a head kept elsewhere can, below)
        assert result.ok and result.head.seq == 19
        return
    assert result.broken is not None
    assert (result.broken.seq, result.broken.problem) == (k, "gap")
    assert result.broken.entry.seq == k + 1
    assert "entries missing" in result.broken.message


def test_deleting_an_entry_and_renumbering_the_rest_breaks_the_chain_there() -> None:
    clean_log()
    with triggers_dropped() as cursor:
        _sql(cursor, "DELETE FROM storage_auditevent WHERE seq = 9")
        _sql(cursor, "UPDATE storage_auditevent SET seq = seq + 1000 WHERE seq > 9")
        _sql(cursor, "UPDATE storage_auditevent SET seq = seq - 1001 WHERE seq > 1000")
    result = verify()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.problem) == (9, "prev_hash")


@pytest.mark.parametrize(("i", "j"), [(1, 2), (4, 15), (19, 20)])
@pytest.mark.parametrize("whole", [False, True], ids=["content", "whole-rows"])
def test_reordering_two_entries_breaks_the_chain_at_the_first(i: int, j: int, whole: bool) -> None:
    """Swap what two entries say (and, for ``whole``, their links too): only their places stay."""
    clean_log()
    columns = [*CONTENT, *(("prev_hash", "hash") if whole else ())]
    first, second = _row(i), _row(j)
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with triggers_dropped() as cursor:
        for seq, values in ((i, second), (j, first)):
            params = [
                json.dumps(values[n]) if n == "details" and not isinstance(values[n], str) else values[n]
                for n in columns
            ]
            cursor.execute(f"UPDATE storage_auditevent SET {assignments} WHERE seq = %s", [*params, seq])  # noqa: S608
    result = verify()
    assert result.broken is not None
    assert result.broken.seq == i
    assert result.broken.problem == ("prev_hash" if whole else "hash")


def _forge(cursor: Any, seq: int, prev_hash: str) -> str:
    """Insert a made-up entry at ``seq`` with a hash valid for its own content; its hash."""
    at = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    content = {
        "actor": "user:1",
        "organisation": "nnk",
        "action": "view",
        "object_type": "report",
        "object_id": 5,
        "object_ref": "nnk-5",
        "details": {},
    }
    forged = chain_hash(
        seq=seq,
        at="2024-05-01T12:00:00.000000Z",
        details="{}",
        prev_hash=prev_hash,
        **{k: v for k, v in content.items() if k != "details"},
    )
    _sql(
        cursor,
        "INSERT INTO storage_auditevent (seq, at, actor, organisation, action, object_type, object_id, "
        "object_ref, details, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            seq,
            connection.ops.adapt_datetimefield_value(at),
            *[content[k] for k in CONTENT[1:-1]],
            "{}",
            prev_hash,
            forged,
        ],
    )
    return forged


@pytest.mark.parametrize("k", [0, 6, 19])
def test_inserting_a_forged_entry_breaks_the_chain_at_the_forgery(k: int) -> None:
    """A forged entry between k and k+1, whose own hash is right (it links to entry k); the entries after it
    move one place on."""
    events = clean_log()
    with triggers_dropped() as cursor:
        _sql(cursor, "UPDATE storage_auditevent SET seq = seq + 1000 WHERE seq > %s", [k])
        _sql(cursor, "UPDATE storage_auditevent SET seq = seq - 999 WHERE seq > 1000")
        _forge(cursor, k + 1, events[k - 1].hash if k else ZERO_HASH)
    forged = AuditEvent.objects.get(seq=k + 1)
    result = verify()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.problem) == (k + 1, "inserted")
    assert result.broken.entry.id == forged.pk and result.broken.entry.object_ref == "nnk-5"


def test_a_forged_entry_sharing_a_seq_is_out_of_order() -> None:
    """With the unique index on seq dropped too, a forgery can claim a place already taken."""
    events = clean_log()
    with triggers_dropped() as cursor:
        index = [
            c
            for c, info in connection.introspection.get_constraints(cursor, "storage_auditevent").items()
            if info["columns"] == ["seq"] and info["unique"]
        ]
        for name in index:
            if connection.vendor == "postgresql":
                _sql(cursor, f'ALTER TABLE storage_auditevent DROP CONSTRAINT "{name}"')
            else:  # SQLite keeps the column's UNIQUE in the table: rebuild the table without it
                _sql(cursor, "CREATE TABLE bare AS SELECT * FROM storage_auditevent")
                _sql(cursor, "DROP TABLE storage_auditevent")
                _sql(cursor, "ALTER TABLE bare RENAME TO storage_auditevent")
        _forge(cursor, 8, events[6].hash)
    result = verify()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.problem) == (8, "order")


# --- heads kept elsewhere -----------------------------------------------------------------------------------


def test_a_kept_head_detects_a_truncated_chain() -> None:
    clean_log()
    kept = [(1, head())]
    assert verify(kept).ok
    append(event_rows("view", "report", [(1, "nnk-1", "nnk")] * 5))
    kept.append((2, head()))
    assert verify(kept).ok and verify(kept).heads_checked == 2
    with triggers_dropped() as cursor:
        _sql(cursor, "DELETE FROM storage_auditevent WHERE seq > 17")
    alone = verify()
    assert alone.ok and alone.head.seq == 17  # the chain alone cannot tell its end was cut
    result = verify(kept)
    assert not result.ok and result.broken is None
    assert result.head_mismatch is not None
    assert result.head_mismatch.line == 1 and result.head_mismatch.kept.seq == 20
    assert "truncated" in result.head_mismatch.message


def test_a_kept_head_detects_a_chain_rewritten_with_valid_hashes() -> None:
    """Someone edits entry 5 and recomputes every hash after it: the chain verifies, the kept head does not."""
    clean_log()
    kept = [(1, Head(3, _row(3)["hash"], None, 3)), (2, head())]
    with triggers_dropped() as cursor:
        _sql(cursor, "UPDATE storage_auditevent SET actor = 'user:999' WHERE seq = 5")
        rows = [_row(seq) for seq in range(5, 21)]
        previous = _row(4)["hash"]
        for seq, row in enumerate(rows, start=5):
            from bordermonitor.storage.audit import stored_hash

            values = (row["id"], seq, *[row[n] for n in CONTENT], previous)
            previous = stored_hash(values)
            _sql(
                cursor,
                "UPDATE storage_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
                [values[-1], previous, seq],
            )
    result = verify(kept)
    assert result.broken is None
    assert result.head_mismatch is not None and result.head_mismatch.line == 2
    assert "another hash" in result.head_mismatch.message


# --- writers ------------------------------------------------------------------------------------------------


def test_events_cannot_be_changed_through_the_model_and_every_write_is_chained() -> None:
    clean_log()
    made = AuditEvent.objects.bulk_create([AuditEvent(actor="cli", action="view", object_type="report")] * 1)
    assert made[0].seq == 21 and made[0].pk is not None
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_update(made, ["actor"])
    with pytest.raises(PermissionError):
        made[0].save()
    assert verify().ok


def test_the_database_refuses_a_second_entry_at_a_taken_seq() -> None:
    events = clean_log()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        _forge(cursor, 20, events[18].hash)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="threads share SQLite's in-memory test database"
)
def test_concurrent_writers_never_fork_the_chain() -> None:
    """Four threads, each its own database connection, append at once: one chain, no seq twice."""
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def write(n: int) -> None:
        try:
            start.wait()
            for batch in range(25):
                append(event_rows("view", "report", [(n, f"r-{n}", None)] * (1 + batch % 4)))
                AuditEvent.objects.create(actor=f"user:{n}", action="view", object_type="report")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify()
    assert result.ok
    assert result.entries == 4 * sum(2 + batch % 4 for batch in range(25))


# --- properties ---------------------------------------------------------------------------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)
_events = st.lists(
    st.fixed_dictionaries(
        {
            "at": st.datetimes(
                min_value=dt.datetime(2000, 1, 1),
                max_value=dt.datetime(2100, 1, 1),
                timezones=st.just(dt.UTC),
            ),
            "actor": _text,
            "organisation": st.none() | _text.map(lambda s: s[:40]),
            "action": st.sampled_from(ACTIONS),
            "object_type": _text,
            "object_id": st.none() | st.integers(-(2**63), 2**63 - 1),
            "object_ref": st.none() | _text,
            "details": st.dictionaries(_text, _json, max_size=4),
        }
    ),
    min_size=1,
    max_size=12,
)
_FIELDS = (*CONTENT, "seq", "prev_hash", "hash")


@contextmanager
def _undone() -> Iterator[None]:
    """Each example starts from an empty log: its writes (and dropped triggers) are rolled back after it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _changed(field: str, row: dict[str, Any], seq: int) -> Any:
    value = row[field]
    if field in ("prev_hash", "hash"):
        return ("f" if value[0] != "f" else "e") + value[1:]
    if field == "seq":
        return 10_000 + seq
    if field == "object_id":
        return 1 if value is None else value - 1 if value > 0 else value + 1
    if field == "details":
        return json.dumps({"tampered": json.loads(value) if isinstance(value, str) else value})
    if field == "at":
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return connection.ops.adapt_datetimefield_value(
            (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)) + dt.timedelta(microseconds=1)
        )
    return "tampered" if value != "tampered" else "other"


@pytest.mark.parametrize("field", _FIELDS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=_events, data=st.data())
def test_any_appended_events_verify_and_any_single_edit_is_named_where_it_is(
    field: str, events: list[dict[str, Any]], data: st.DataObject
) -> None:
    with _undone():
        for start in range(0, len(events), 5):  # several appends, as writers make them
            append(events[start : start + 5])
        result = verify()
        assert result.ok and result.entries == len(events)
        k = data.draw(st.integers(1, len(events)), label="k")
        new = _changed(field, _row(k), k)
        with triggers_dropped() as cursor:
            cursor.execute(f"UPDATE storage_auditevent SET {field} = %s WHERE seq = %s", [new, k])  # noqa: S608
        broken = verify().broken
        assert broken is not None
        assert broken.seq == k, (field, broken)


_any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))


@given(
    seq=st.integers(1, 2**63),
    texts=st.lists(_any_text, min_size=6, max_size=6),
    maybe=st.lists(st.none() | _any_text, min_size=2, max_size=2),
    object_id=st.none() | st.integers(-(2**63), 2**63),
    details=st.dictionaries(_any_text, _json, max_size=5),
)
def test_the_message_is_the_json_array_the_recipe_describes(
    seq: int, texts: list[str], maybe: list[str | None], object_id: int | None, details: dict[str, Any]
) -> None:
    """The hashed message, joined element by element for speed, is exactly ``json.dumps`` of the array."""
    at, actor, action, object_type, prev_hash, _ = texts
    organisation, object_ref = maybe
    canonical = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    fields = [seq, at, actor, organisation, action, object_type, object_id, object_ref]
    expected = json.dumps(
        ["bordermonitor-audit/1", *fields, json.loads(canonical), prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    message = chain_message(
        seq=seq, at=at, actor=actor, organisation=organisation, action=action, object_type=object_type,
        object_id=object_id, object_ref=object_ref, details=canonical, prev_hash=prev_hash,
    )  # fmt: skip
    assert message == expected.encode("utf-8")
