"""Disclosure control of published counts (METHODOLOGY §7): small counts are suppressed, and further counts
with them, so that no published total reveals a suppressed one.

A table is published with its margins: each row's total (column ``*``), each column's total (row ``*``)
and the grand total (``*``, ``*``). A count from 1 to ``threshold - 1`` says "these few people" and is
suppressed (*primary* suppression). Suppressing it alone is not enough: a row total minus the row's
published cells gives it back. So :func:`protect` suppresses more cells (*complementary* suppression)
until no suppressed cell can be worked out exactly from what is published, and :func:`recoverable` is the
attacker's check that proves it, computed independently.

Zeros are not suppressed: an absent cell is a structural zero and everyone reading the table knows it is
0. That is also why an attacker knows every suppressed cell is at least 1 — both functions use it.

The arithmetic. Writing each total as the sum of its line, the table with its margins is a network: one
node per row (and one for the row of totals), one node per column (and one for the column of totals), and
each cell is an arc carrying its count::

    inner cell (r, c):   row r  →  column c        column total (*, c):  column c  →  row *
    grand total (*, *):  row *  →  column *        row total (r, *):     column *  →  row r

"Every total is the sum of its line" is exactly "flow is conserved at every node". The published cells
are fixed flows; the suppressed ones are unknown flows of at least 1. Another table consistent with
everything published differs from the true one by a circulation on the suppressed arcs, so a suppressed
cell can take another value exactly when it lies on a cycle of suppressed arcs along which counts can move
(+1 on the arcs followed forwards, -1 on those followed backwards, which must stay at least 1).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["TOTAL", "Cell", "ProtectedTable", "bounds", "protect", "recoverable"]

TOTAL = "*"
"""The row or column name of totals."""

Key = tuple[str, str]
Node = tuple[str, str]  # ("row", name) or ("column", name); name may be TOTAL


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a published table (an inner cell or a margin) and whether its count is withheld."""

    row: str
    column: str
    value: int
    suppressed: bool
    reason: Literal["primary", "complementary"] | None


@dataclass(frozen=True, slots=True)
class ProtectedTable:
    """Every non-zero cell of a table and its margins, with the suppression decided for each.

    ``cells`` holds the true values, suppressed or not: it is the publication pipeline's working copy.
    Only :meth:`published` may leave it.
    """

    cells: tuple[Cell, ...]
    threshold: int

    def published(self) -> dict[tuple[str, str], int]:
        """What may be shown: the cells not suppressed. A cell absent here and not suppressed is a zero."""
        return {(cell.row, cell.column): cell.value for cell in self.cells if not cell.suppressed}

    def suppressed(self) -> list[tuple[str, str]]:
        """The withheld cells, in table order."""
        return [(cell.row, cell.column) for cell in self.cells if cell.suppressed]


def _arc(key: Key) -> tuple[Node, Node]:
    row, column = key
    if row != TOTAL and column != TOTAL:
        return ("row", row), ("column", column)
    if row != TOTAL:
        return ("column", TOTAL), ("row", row)
    if column != TOTAL:
        return ("column", column), ("row", TOTAL)
    return ("row", TOTAL), ("column", TOTAL)


def _extended(counts: Mapping[Key, int]) -> dict[Key, int]:
    """The non-zero cells of the table and of its margins."""
    table: dict[Key, int] = {}
    for (row, column), value in counts.items():
        if TOTAL in (row, column):
            raise ValueError(f"{TOTAL!r} names the totals; it cannot be a row or a column of the counts")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(
                f"the count of ({row}, {column}) is {value!r}; counts are whole numbers, 0 or more"
            )
        if value:
            for key in ((row, column), (row, TOTAL), (TOTAL, column), (TOTAL, TOTAL)):
                table[key] = table.get(key, 0) + value
    return table


# --- protect: a heuristic, checked exactly --------------------------------------------------------------


Adjacency = dict[Node, list[tuple[Node, Key]]]


def _adjacency(table: Mapping[Key, int], suppressed: Iterable[Key]) -> tuple[Adjacency, Adjacency]:
    """The moves of the suppressed cells, as arcs from node to node (each with its cell) and reversed:
    a cell's count can always go up by one, and down by one when it stays at least 1."""
    forward: Adjacency = {}
    backward: Adjacency = {}
    for key in suppressed:
        tail, head = _arc(key)
        moves = [(tail, head), (head, tail)] if table[key] >= 2 else [(tail, head)]
        for start, end in moves:
            forward.setdefault(start, []).append((end, key))
            backward.setdefault(end, []).append((start, key))
    return forward, backward


def _reach(adjacency: Adjacency, start: Node, skip: Key) -> set[Node]:
    """The nodes reachable from ``start`` without moving cell ``skip``."""
    seen, queue = {start}, deque([start])
    while queue:
        for node, key in adjacency.get(queue.popleft(), ()):
            if key != skip and node not in seen:
                seen.add(node)
                queue.append(node)
    return seen


def _movable(key: Key, table: Mapping[Key, int], forward: Adjacency) -> bool:
    """Whether ``key`` lies on a cycle of suppressed cells along which counts can move by one."""
    tail, head = _arc(key)
    return tail in _reach(forward, head, key) or (table[key] >= 2 and head in _reach(forward, tail, key))


def _lines(table: Mapping[Key, int]) -> list[list[Key]]:
    rows: dict[str, list[Key]] = {}
    columns: dict[str, list[Key]] = {}
    for key in table:
        rows.setdefault(key[0], []).append(key)
        columns.setdefault(key[1], []).append(key)
    return [*rows.values(), *columns.values()]


def _order(table: Mapping[Key, int]) -> dict[Key, tuple[int, bool, Key]]:
    """Which cell to suppress first: the smallest count, an inner cell before a total, then by name."""
    return {key: (value, TOTAL in key, key) for key, value in table.items()}


def _complete_lines(table: Mapping[Key, int], suppressed: set[Key]) -> None:
    """Until no row or column of the table with margins holds exactly one suppressed cell, suppress the
    smallest other cell of each line that does (subtraction from the line's total would reveal it)."""
    order = _order(table)
    changed = True
    while changed:
        changed = False
        for line in _lines(table):
            if sum(key in suppressed for key in line) == 1:
                suppressed.add(min((key for key in line if key not in suppressed), key=order.__getitem__))
                changed = True


def _unstick(key: Key, table: Mapping[Key, int], suppressed: set[Key]) -> None:
    """Suppress the smallest cell that puts ``key`` on a cycle; failing one, the smallest of its lines.

    A new cell ``a → b`` closes a cycle through ``key`` (``u → v``) when ``a`` is reachable from ``v`` and
    ``u`` from ``b`` (``key`` goes up), or the same from ``u`` to ``v`` (``key`` goes down), or with the
    new cell moving backwards (``b → a``) when its count is at least 2.
    """
    forward, backward = _adjacency(table, suppressed)
    tail, head = _arc(key)
    ends = [(_reach(forward, head, key), _reach(backward, tail, key))]
    if table[key] >= 2:
        ends.append((_reach(forward, tail, key), _reach(backward, head, key)))
    order = _order(table)
    candidates = sorted((k for k in table if k not in suppressed), key=order.__getitem__)
    for candidate in candidates:
        a, b = _arc(candidate)
        moves = [(a, b), (b, a)] if table[candidate] >= 2 else [(a, b)]
        if any(start in sources and end in targets for sources, targets in ends for start, end in moves):
            suppressed.add(candidate)
            return
    near = [k for k in candidates if k[0] == key[0] or k[1] == key[1]]
    suppressed.add((near or candidates)[0])


def protect(counts: Mapping[tuple[str, str], int], *, threshold: int) -> ProtectedTable:
    """The table of ``counts`` with its margins, primary and complementary suppression decided.

    ``counts`` maps inner cells (row, column) to counts; zero and absent cells are structural zeros and
    are left out of the result. Margins are the sums of the inner cells. Every cell (margins included)
    from 1 to ``threshold - 1`` is suppressed; then, repeatedly, every line of the table with margins that
    holds a single suppressed cell gets another (its smallest), and every suppressed cell that still lies
    on no cycle of suppressed cells (see the module's note) gets the smallest cell that puts it on one.
    Each round suppresses at least one more cell, and with every cell suppressed every cell lies on a
    cycle, so it always ends. :func:`recoverable` of the result is empty.
    """
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
        raise ValueError(f"threshold is {threshold!r}; it must be a whole number, 1 or more")
    table = _extended(counts)
    primary = {key for key, value in table.items() if value < threshold}
    suppressed = set(primary)
    settled: set[Key] = set()  # on a cycle already: suppressing more cells only adds cycles
    while True:
        _complete_lines(table, suppressed)
        forward, _ = _adjacency(table, suppressed)
        stuck = None
        for key in sorted(suppressed - settled):
            if not _movable(key, table, forward):
                stuck = key
                break
            settled.add(key)
        if stuck is None or len(suppressed) == len(table):
            break
        _unstick(stuck, table, suppressed)
    rows = [*sorted({row for row, _ in table} - {TOTAL}), TOTAL]
    columns = [*sorted({column for _, column in table} - {TOTAL}), TOTAL]
    cells = tuple(
        Cell(
            row,
            column,
            table[row, column],
            (row, column) in suppressed,
            "primary"
            if (row, column) in primary
            else "complementary"
            if (row, column) in suppressed
            else None,
        )
        for row in rows
        for column in columns
        if (row, column) in table
    )
    return ProtectedTable(cells, threshold)


# --- recoverable: the attacker's exact bounds ------------------------------------------------------------


def _max_flow(
    capacity: Mapping[Node, Mapping[Node, int | None]], source: Node, sink: Node, *, limit: int | None = None
) -> int | None:
    """Maximum flow from ``source`` to ``sink`` (Edmonds–Karp), or ``limit`` once that much is found.

    A ``None`` capacity is unlimited; a ``None`` result means the flow is unlimited.
    """
    residual: dict[Node, dict[Node, int | None]] = {node: dict(arcs) for node, arcs in capacity.items()}
    total = 0
    while limit is None or total < limit:
        before: dict[Node, Node] = {}
        queue = deque([source])
        while queue and sink not in before:
            node = queue.popleft()
            for head, room in residual.get(node, {}).items():
                if head != source and head not in before and (room is None or room > 0):
                    before[head] = node
                    queue.append(head)
        if sink not in before:
            break
        path: list[tuple[Node, Node]] = []
        node = sink
        while node != source:
            path.append((before[node], node))
            node = before[node]
        rooms = [room for tail, head in path if (room := residual[tail][head]) is not None]
        if not rooms:
            return None  # a path of cells that can all grow without limit
        push = min(rooms) if limit is None else min(*rooms, limit - total)
        total += push
        for tail, head in path:
            room = residual[tail][head]
            residual[tail][head] = None if room is None else room - push
            back = residual.setdefault(head, {}).get(tail, 0)
            residual[head][tail] = None if back is None else back + push
    return total


def _networks(table: ProtectedTable) -> Iterator[tuple[Key, int, dict[Node, dict[Node, int | None]]]]:
    """For each suppressed cell: its value and the network of the *other* suppressed cells, in which each
    cell's arc may carry any extra flow forwards and its count minus 1 backwards (it stays at least 1)."""
    hidden = {(cell.row, cell.column): cell.value for cell in table.cells if cell.suppressed}
    capacity: dict[Node, dict[Node, int | None]] = {}
    for key, value in hidden.items():
        tail, head = _arc(key)
        capacity.setdefault(tail, {})[head] = None
        capacity.setdefault(head, {})[tail] = value - 1
    for key, value in hidden.items():
        tail, head = _arc(key)
        forward, backward = capacity[tail].pop(head), capacity[head].pop(tail)
        yield key, value, capacity
        capacity[tail][head], capacity[head][tail] = forward, backward


def bounds(table: ProtectedTable) -> dict[tuple[str, str], tuple[int, int | None]]:
    """For each suppressed cell, the smallest and largest value (``None``: no limit) it can have in any
    table of whole counts consistent with what is published.

    What the attacker knows: the published cells, that absent cells are 0, that suppressed cells are at
    least 1 (zeros are never suppressed), and that every total is the sum of its line. Another consistent
    table differs from the true one by a circulation on the suppressed arcs of the network described in
    the module's note. Raising cell ``e`` (an arc ``u → v``) by ``t`` therefore needs ``t`` units to flow
    back from ``v`` to ``u`` through the other suppressed arcs, each of which may grow without limit or
    shrink by its count minus 1: the largest ``t`` is a maximum flow. Lowering ``e`` is the same from
    ``u`` to ``v``, and by at most its count minus 1. Maximum flow is exact here and integral (flow
    conservation matrices are totally unimodular), so these are the true bounds over whole counts — the
    values a linear program over the table would give, without needing an LP solver.
    """
    result: dict[tuple[str, str], tuple[int, int | None]] = {}
    for key, value, capacity in _networks(table):
        tail, head = _arc(key)
        up = _max_flow(capacity, head, tail)
        down = 0
        if value > 1:
            flow = _max_flow(capacity, tail, head, limit=value - 1)
            down = value - 1 if flow is None else flow
        result[key] = (value - down, None if up is None else value + up)
    return result


def recoverable(table: ProtectedTable) -> list[tuple[str, str]]:
    """The suppressed cells whose value is determined by what is published: the check that refuses a
    release, and an empty list for every table :func:`protect` makes.

    Exactly the cells whose :func:`bounds` are one value; computed with the same maximum flows stopped at
    the first unit (a cell is determined when no flow at all can pass either way), so large tables are
    checked quickly.
    """
    found: list[tuple[str, str]] = []
    for key, value, capacity in _networks(table):
        tail, head = _arc(key)
        if _max_flow(capacity, head, tail, limit=1) == 0 and (
            value == 1 or _max_flow(capacity, tail, head, limit=1) == 0
        ):
            found.append(key)
    return found
