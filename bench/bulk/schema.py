"""What the load sets aside and puts back, inside its transaction (schema changes are
transactional on both databases: the rollback of a failed load brings everything back).

SQLite: the insert triggers. The full-text triggers (migration appeals 0002_search, and any
search table a later migration adds) run once per inserted row, and cost more than the rows
themselves.
So each AFTER INSERT trigger of a written table is dropped, its statements run once over all
the loaded rows, and it is created again with its very SQL, read from sqlite_master: a
trigger a later migration adds is handled the same way.

A trigger whose body is not plain `INSERT INTO t (…) VALUES (…)` statements over the new
row's values is left in place: it fires row by row, slower but exactly as in the product.

SQLite's indexes stay: keeping them up happens while the other process generates the next
batch, where building them again adds to the end of the load. Measured on 100,000 appeals
with the rows staged (writer.Staged): keeping them all up costs 8.9 s of inserts (steps'
nine 3.4 s, events' two 1.9 s), building them again 10.3 s at the end (each build reads its
whole table once: events' 780 MB twice). Only the smaller tables' non-unique ones (2.5 s
kept up, 3.2 s built again) made no difference to the whole load.

SQLite's foreign keys: enforcement looks each key up as its row goes in; a load of its own
(outside a caller's transaction) turns it off and checks each batch's rows with one statement
per table instead (key_check_sql), which fails the load as enforcement would.

PostgreSQL: the foreign keys and the non-unique indexes. A foreign key is checked by a
trigger per row (a deferred one: a queue of millions of checks at commit), where adding it
back validates the table with one join; an index (the full-text GIN index above all) is
built faster by one sort than entry by entry. Both read the whole table, so the load sets
them aside only when it is larger than what is there (bench.bulk.load). Their
definitions are read from the catalogue, so a later migration's are handled the same way.
Unique indexes and constraints stay: a duplicate fails the load."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TRIGGER = re.compile(
    r"""^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>"[^"]+"|\S+)\s+
    AFTER\s+INSERT\s+ON\s+(?P<table>"[^"]+"|\S+)\s+
    (?:FOR\s+EACH\s+ROW\s+)?(?:WHEN\s+(?P<when>.+?)\s+)?
    BEGIN\b(?P<body>.*)\bEND\s*;?\s*$""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
_INSERT = re.compile(
    r"""^\s*INSERT\s+INTO\s+(?P<target>"[^"]+"|[\w.]+)\s*(?P<columns>\([^()]*\))?\s*
    VALUES\s*\((?P<values>.*)\)\s*$""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)


@dataclass
class SetAside:
    """What was dropped, in sqlite_master's order, and how to catch up on the loaded rows."""

    triggers: list[str] = field(default_factory=list)  # CREATE TRIGGER statements
    # (statement, first id): a trigger's statements over the rows loaded, the new row's
    # values as `new`.
    catch_up: list[tuple[str, int]] = field(default_factory=list)


def _statements(body: str) -> list[str] | None:
    """The trigger body's statements, split on semicolons outside quotes and parentheses
    (None if its quotes or parentheses do not pair up)."""
    found, current, quote, depth = [], [], "", 0
    for char in body:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`[":
            quote = "]" if char == "[" else char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
        elif char == ";" and depth == 0:
            found.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    if quote or depth:
        return None
    tail = "".join(current).strip()
    if tail:
        found.append(tail)
    return [s for s in found if s]


def catch_up_sql(trigger_sql: str, table: str, key: str) -> list[str] | None:
    """The statements of an AFTER INSERT trigger made to run once over the rows with `key`
    at or above a bound (a parameter), in key order; None if the trigger is not that
    simple."""
    match = _TRIGGER.match(trigger_sql)
    if match is None or match["table"].strip('"') != table:
        return None
    statements = _statements(match["body"])
    if not statements:
        return None
    where = f'new."{key}" >= ?'
    if match["when"]:
        where += f" AND ({match['when']})"
    found = []
    for statement in statements:
        insert = _INSERT.match(statement)
        if insert is None or _statements(insert["values"]) != [insert["values"].strip()]:
            return None
        target = insert["target"] + (f" {insert['columns']}" if insert["columns"] else "")
        found.append(
            f'INSERT INTO {target} SELECT {insert["values"]} FROM "{table}" AS new '
            f'WHERE {where} ORDER BY new."{key}"'
        )
    return found


def set_aside(raw, tables: dict[str, tuple[str, int]]) -> SetAside:
    """Drop the simple insert triggers of `tables` (table name -> (key column, first id
    loaded)); return what put_back needs."""
    aside = SetAside()
    marks = ", ".join("?" * len(tables))
    rows = raw.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        f" AND tbl_name IN ({marks}) ORDER BY rowid",
        list(tables),
    ).fetchall()
    for name, table, sql in rows:
        key, first = tables[table]
        statements = catch_up_sql(sql, table, key)
        if statements is None:
            continue  # fires row by row (see the module notes)
        raw.execute(f'DROP TRIGGER "{name.replace(chr(34), chr(34) * 2)}"')
        aside.triggers.append(sql)
        aside.catch_up += [(s, first) for s in statements]
    return aside


def put_back(raw, aside: SetAside) -> None:
    """The triggers' work on the loaded rows, then the triggers as they were."""
    for statement, first in aside.catch_up:
        raw.execute(statement, (first,))
    for sql in aside.triggers:
        raw.execute(sql)


def key_check_sql(raw, table: str, key: str) -> str | None:
    """A statement finding a row with `key` between two bounds (parameters) whose foreign key
    points nowhere, for a load with SQLite's key enforcement off; None if `table` has no
    foreign key. Read from PRAGMA foreign_key_list, so a key a later migration adds is
    checked too."""
    keys: dict[int, list[tuple[str, str, str | None]]] = {}
    for row in raw.execute(f"PRAGMA foreign_key_list({_quoted(table)})").fetchall():
        # id, seq, table, from, to, on_update, on_delete, match
        keys.setdefault(row[0], []).append((row[2], row[3], row[4]))
    if not keys:
        return None
    # NOT IN over the parent's key: SQLite reads the key's own B-tree (the rowid table, or
    # the parent key's unique index) without building a list. Faster than NOT EXISTS or a
    # LEFT JOIN (measured). A NULL key points nowhere by design, as for a foreign key: it is
    # excluded first, since `NULL NOT IN (<no rows>)` is true when the parent table is empty.
    broken = []
    for columns in keys.values():
        child = ", ".join(f"new.{_quoted(c)}" for _, c, _ in columns)
        parent = ", ".join(_quoted(to) if to else "rowid" for _, _, to in columns)
        present = " AND ".join(f"new.{_quoted(c)} IS NOT NULL" for _, c, _ in columns)
        if len(columns) > 1:
            child = f"({child})"
        broken.append(
            f"({present} AND {child} NOT IN (SELECT {parent} FROM {_quoted(columns[0][0])}))"
        )
    return (
        f"SELECT new.{_quoted(key)} FROM {_quoted(table)} AS new "
        f"WHERE new.{_quoted(key)} BETWEEN ? AND ? AND ({' OR '.join(broken)}) LIMIT 1"
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- PostgreSQL ---------------------------------------------------------------------------------


@dataclass
class PgSetAside:
    """What was dropped: each foreign key's table, name and definition, each index's SQL."""

    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)


def pg_set_aside(cursor, tables: list[str]) -> PgSetAside:
    """Drop the foreign keys of `tables` and their indexes that are neither unique nor a
    constraint's; return what pg_put_back needs."""
    aside = PgSetAside()
    # Checks still queued by the caller's transaction (a test's, or people.ensure inside
    # one) first: a table with pending checks cannot be altered.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        "SELECT c.conrelid::regclass::text, quote_ident(c.conname), "
        "pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "WHERE c.contype = 'f' AND t.relname = ANY(%s) AND pg_table_is_visible(t.oid) "
        "ORDER BY c.oid",
        [tables],
    )
    aside.foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) AND NOT i.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY i.indexrelid",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _ in aside.foreign_keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
        aside.indexes.append(definition)
    return aside


def pg_put_back(cursor, aside: PgSetAside) -> None:
    """The indexes built again, the foreign keys added again (each validated by one join:
    a row pointing nowhere fails the load)."""
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # each sort in memory
    for definition in aside.indexes:
        cursor.execute(definition)
    for table, name, definition in aside.foreign_keys:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    # Back to how Django declares every key (DEFERRABLE INITIALLY DEFERRED), for the rest of
    # the caller's transaction.
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
