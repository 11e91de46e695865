"""Text search with an index on both databases: "the text contains these words" in SQL.

`contains(column, words)` keeps the meaning of `column ILIKE '%words%'` (case-insensitive
substring) but lets each database use a trigram index instead of reading every row:
- SQLite: an FTS5 table with the trigram tokenizer, kept in step with its table by triggers
  (migration 0012f); `MATCH '"words"'` finds the rows whose text contains the phrase;
- PostgreSQL: `ILIKE` itself, answered from a GIN `gin_trgm_ops` index (extension pg_trgm).
Fewer than 3 characters have no trigram: those searches fall back to the plain `ILIKE`.

A search shows its hits by id and counts at most 1,001 of them, so its cost is reading the
first hits in id order: `matching` (the statement, and the key to order and page it by) and
`first_ids` (the first n after a key, for one or more reads) do that in a way each index can
stop early (SQLite: FTS5 gives its hits in rowid order; PostgreSQL: a range of ids sized from
the planner's estimate). A word in most texts then costs about as much as a rare one.

The FTS5 table and its shadow tables are no model's: Alembic's comparison and the backup skip
them (`is_text_index_table`), and a restore rebuilds the index (`rebuild`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    Select,
    cast,
    func,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy import column as sql_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean

# table -> its FTS5 table on SQLite (the columns indexed are named in the migration).
FTS_TABLES = {"recommendations": "recommendations_fts"}
# The GIN trigram indexes on PostgreSQL (migration 0012f).
TRIGRAM_INDEXES = frozenset({"ix_recommendations_text_trgm"})
MIN_INDEXED_LENGTH = 3  # a trigram
# PostgreSQL: the first range of ids read is this many times as wide as the estimate says
# `limit` hits need (`first_ids`).
WINDOW_MARGIN = 1.5
# PostgreSQL: the planner's cost of one operator while a search's ranges are planned (its
# default, 0.0025, is an integer comparison's). At the default it tested `ILIKE` on all 34,000
# rows of a range rather than read the trigram index's 5,050 hits ("torture" among 106,770
# texts: 63 ms instead of 19).
OPERATOR_COST = "0.025"
# PostgreSQL: the planner's settings while a search's ranges are planned, restored after them:
# no plain index scan nor sequential scan (the ranges are read through a bitmap of both
# indexes), the operator cost above, and no parallel workers: the last part of a read (the
# rest of the ids, most often not needed) was planned in parallel, and its two workers were
# started even when it was skipped ("women": 19 -> 11 ms for the capped count's read).
PLANNER_SETTINGS = {
    "enable_indexscan": "off",
    "enable_seqscan": "off",
    "cpu_operator_cost": OPERATOR_COST,
    "max_parallel_workers_per_gather": "0",
}
_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")


def is_text_index_table(name: str) -> bool:
    """The FTS5 tables and their shadow tables (SQLite), which belong to no model."""
    return any(
        name == fts or name in {fts + suffix for suffix in _SHADOW_SUFFIXES}
        for fts in FTS_TABLES.values()
    )


def is_text_index(type_: str, name: str | None) -> bool:
    """For Alembic's comparison (`include_object`): the text indexes no model declares."""
    if name is None:
        return False
    return (type_ == "table" and is_text_index_table(name)) or (
        type_ == "index" and name in TRIGRAM_INDEXES
    )


class _Contains(ColumnElement[bool]):
    # Cacheable, with the words in the cache key: a statement with a text search is compiled
    # once per distinct search, not on every run (the compiled form holds the words).
    inherit_cache = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("words", InternalTraversal.dp_string),
    ]
    type = Boolean()
    # A predicate already: without this, SQLite (no native boolean) gets `(...) = 1`, which
    # hides the `id IN (text index)` from its planner and scans the whole table.
    _is_implicitly_boolean = True

    def __init__(self, column: Column[Any] | ColumnClause[Any], words: str) -> None:
        self.column = column
        self.words = words


def contains(column: Any, words: str) -> ColumnElement[bool]:
    """`column` contains `words` (case-insensitive), through the text index where there is one."""
    return _Contains(column, words)


def matching(
    stmt: Select[Any], column: Any, words: str, dialect: str, *, few_rows: bool = False
) -> tuple[Select[Any], ColumnElement[Any]]:
    """`stmt` kept to the rows whose `column` contains `words`, and the key to order it by
    (and to page after): the row's id, in the order the text index can give it.

    On SQLite the FTS5 table drives the query (`JOIN`, ordered by its rowid): FTS5 reads its
    hits in rowid order, so a `LIMIT` stops after the first ones instead of collecting every
    "women" among 100,000 texts before the first page (what `contains`' `id IN (...)` does).
    Unless `few_rows`: the other conditions of `stmt` keep few rows through an index of their
    own (one State's recommendations: a few hundred), and testing each of them for the words
    (`contains_folded`) is ~40 times faster than the FTS5 table's list of every hit of a
    common word, most of them another State's. Elsewhere it is `contains`, ordered by id.
    """
    owner = column.table
    key = owner.c.id
    if few_rows and dialect == "sqlite":
        folded = func.uprtc_contains_folded(column, words.casefold(), type_=Boolean)
        return stmt.where(folded), key
    fts = FTS_TABLES.get(owner.name)
    if dialect != "sqlite" or fts is None or len(words.strip()) < MIN_INDEXED_LENGTH:
        return stmt.where(contains(column, words)), key
    index = table(fts, sql_column("rowid"), sql_column(fts))
    rowid = index.c.rowid
    stmt = stmt.join(index, rowid == key).where(index.c[fts].op("MATCH")(_phrase(words)))
    return stmt, rowid


def contains_folded(text: str | None, folded_words: str) -> bool:
    """SQLite's `uprtc_contains_folded(text, words)` (registered on every connection):
    `text` contains `words` (already case-folded), whatever the script's case rules."""
    return text is not None and folded_words in text.casefold()


def _phrase(words: str) -> str:
    """An FTS5 query: `words` as one phrase (with the trigram tokenizer, a substring)."""
    return '"' + words.replace('"', '""') + '"'


def _pattern(words: str) -> str:
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@compiles(_Contains)
def _compile_default(element: _Contains, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column.ilike(_pattern(element.words), escape="\\"), **kw))


@compiles(_Contains, "sqlite")
def _compile_sqlite(element: _Contains, compiler: Any, **kw: Any) -> str:
    column = element.column
    owner = getattr(column, "table", None)
    fts = FTS_TABLES.get(owner.name) if owner is not None else None
    if fts is None or len(element.words.strip()) < MIN_INDEXED_LENGTH:
        return _compile_default(element, compiler, **kw)
    phrase = _phrase(element.words)
    index = table(fts, literal_column("rowid"))
    hits: Select[Any] = (
        select(literal_column("rowid"))
        .select_from(index)
        .where(literal_column(fts).op("MATCH")(phrase))
    )
    key = owner.c.id  # type: ignore[union-attr]
    return str(compiler.process(key.in_(hits), **kw))


def rebuild(connection: Connection) -> None:
    """Rebuild every text index from its table (after a restore wrote the tables directly)."""
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL's indexes follow their tables
    for fts in FTS_TABLES.values():
        # `fts` is one of this module's constant names, never input.
        connection.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608


def first_ids(
    session: Session,
    stmt: Select[Any],
    key: ColumnElement[int],
    words: str | None,
    reads: Sequence[tuple[int, int | None]],
) -> list[list[int]]:
    """For each read `(limit, after)`: the first `limit` ids of `stmt` (from `matching`,
    ordered by `key`) after `after` (a search by key needs two: the capped count from the
    start, and the page after the key).

    SQLite and searches without words: the statement itself. PostgreSQL with words: the GIN
    trigram index answers "which rows contain them" but in no order, and the planner counts
    `ILIKE` as nearly free: for `ORDER BY id LIMIT n` it walks the primary key testing every
    row ("torture", in 5% of the texts: ~20,000 rows tested for 1,001 hits), or tests every
    hit of the index ("women": 13,000). Instead the planner's estimate of the hits gives the
    range of ids that should hold `limit` of them (with a margin), and only the index's hits
    in that range are tested (a bitmap AND of the trigram and primary-key indexes); the next
    range as wide, then the rest of the ids, only if the ranges before held too few (a wider
    range can make the planner test `ILIKE` on every row of it instead). About `limit` rows
    are tested, whatever the word. Each read is one statement, and none is run whose ids an
    earlier read holds (`_held`): a page by key within the first 1,001 hits comes from the
    capped count's read (each read scans the trigram index once: ~15 ms for a long phrase).
    """
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql" or not words or len(words.strip()) < MIN_INDEXED_LENGTH:
        return _each_in_turn(session, stmt, key, reads)
    estimate = _estimated_rows(session, stmt.order_by(None))
    if estimate <= min(limit for limit, _after in reads):
        # Few hits expected (a rare word, a narrow filter): the planner reads them all through
        # the index by itself, and no range is needed.
        return _each_in_turn(session, stmt, key, reads)
    # One round trip: the range of ids; and for the statements planned next in this
    # transaction, `PLANNER_SETTINGS` (`set_config` runs after this one's plan).
    names = list(PLANNER_SETTINGS)
    bounds = select(
        select(func.min(key)).scalar_subquery(),
        select(func.max(key)).scalar_subquery(),
        *(func.current_setting(name) for name in names),
        *(func.set_config(name, value, True) for name, value in PLANNER_SETTINGS.items()),
    )
    low, high, *values = session.execute(bounds).one()
    current = values[: len(names)]
    # The settings come back with the last read (as the last part of its statement, which is
    # planned by then), or on their own when an earlier read holds the last one's ids.
    restore = select(
        cast(None, Integer).label("id"),
        *(func.set_config(name, value, True) for name, value in zip(names, current, strict=True)),
    ).subquery()
    out: list[list[int]] = []
    for read, (limit, after) in enumerate(reads):
        held = _held(reads, out, limit, after)
        parts = []
        if held is None and low is not None and high is not None:
            parts = _in_ranges(stmt, key, read, (low, high), (limit, after), estimate)
        if read == len(reads) - 1:
            parts.append(select(restore.c.id))
        found: Sequence[int | None] = []
        if parts:
            found = session.scalars(select(union_all(*parts).subquery().c.id)).all()
        out.append(held if held is not None else sorted(i for i in found if i is not None)[:limit])
    return out


def _in_ranges(
    stmt: Select[Any],
    key: ColumnElement[int],
    read: int,
    bounds: tuple[int, int],
    wanted: tuple[int, int | None],
    estimate: float,
) -> list[Select[Any]]:
    """The parts of one read, `wanted` = `(limit, after)`, by ranges of ids between the
    `bounds` of the ids (see `first_ids`)."""
    (low, high), (limit, after) = bounds, wanted
    start = low - 1 if after is None else max(after, low - 1)  # the ids after `start`
    span = high - start
    hits_after = estimate * span / (high - low + 1)  # spread evenly over the ids
    # The ids that should hold `limit` hits, with a margin; then as many again (the estimate
    # comes from a sample of 100 texts), then the rest: each part is read only if those before
    # it held fewer than `limit` hits.
    window = span if hits_after <= limit else int(WINDOW_MARGIN * limit * span / hits_after)
    edges = [edge for edge in (start + window, start + 2 * window) if start < edge < high]
    ranges = list(zip([start, *edges], [*edges, None], strict=True))
    found: ColumnElement[int] | None = None  # the hits of this read's parts before
    parts: list[Select[Any]] = []
    for number, (first, last) in enumerate(ranges):
        part = stmt.where(key > first)
        if last is not None:
            part = part.where(key <= last)
        if found is not None:
            part = part.where(found < limit)
        hits = part.limit(limit).cte(f"hits_{read}_{number}")
        parts.append(select(hits.c[0].label("id")))
        counted = select(func.count()).select_from(hits).scalar_subquery()
        found = counted if found is None else found + counted
    return parts


def _held(
    reads: Sequence[tuple[int, int | None]], out: list[list[int]], limit: int, after: int | None
) -> list[int] | None:
    """The ids of the read `(limit, after)` when an earlier read (of `reads`, whose ids are
    `out`) already holds them: all the hits, or enough of them after its key."""
    for (earlier_limit, earlier_after), ids in zip(reads, out, strict=False):
        later = [i for i in ids if after is None or i > after]
        if (earlier_after or 0) <= (after or 0) and (
            len(later) >= limit or len(ids) < earlier_limit
        ):
            return later[:limit]
    return None


def _each_in_turn(
    session: Session,
    stmt: Select[Any],
    key: ColumnElement[int],
    reads: Sequence[tuple[int, int | None]],
) -> list[list[int]]:
    """The reads one statement each, but none whose ids an earlier read already holds."""
    out: list[list[int]] = []
    for limit, after in reads:
        held = _held(reads, out, limit, after)
        if held is None:
            read = stmt if after is None else stmt.where(key > after)
            held = list(session.scalars(read.limit(limit)))
        out.append(held)
    return out


def _estimated_rows(session: Session, stmt: Select[Any]) -> float:
    """PostgreSQL's estimate of the rows `stmt` selects (EXPLAIN, without running it)."""
    dialect = session.get_bind().dialect
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    plan = (
        session.connection()
        .exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params)
        .scalar_one()
    )
    return float(plan[0]["Plan"]["Plan Rows"])
