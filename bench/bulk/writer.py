"""Writing generated rows fast: raw inserts with column lists derived from each model's
concrete fields, so a column added later with a default keeps working (it gets
`field.get_default()`).

SQLite: the insert triggers are set aside for the load (schema.py), each batch is bound into
a plain TEMP table with executemany and copied into its table with one INSERT … SELECT
(Staged), and with key enforcement off (a load of its own) each batch's keys are checked
once it is written.
PostgreSQL: COPY, the foreign keys and secondary indexes set aside for a load larger than what
is there. Ids are given here (the audit chain's order is the event id), from the highest id
in use; on PostgreSQL the tables are locked for the load and the sequences set after it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import IntegrityError, connection
from django.db.models import NOT_PROVIDED, Max, Model

from banding.accounts.models import User  # noqa: F401  (the Appeal.involved_persons target)
from banding.appeals.models import Appeal, Document, Note, PanelSeat, Step
from banding.audit.models import ChainHead, Event
from banding.letters.models import Letter
from banding.notifications.models import Notification
from banding.survey.models import SurveyResponse
from bench.bulk import schema

# Each table's row tuple, field by field (names as in the model), in the order history.py
# builds them. Everything else gets its default.
TABLES: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "appeal": (
        Appeal,
        (
            "id", "public_id", "number", "year", "sequence", "organization", "contact_name",
            "contact_email", "contact_phone", "channel", "received_at", "complaint_reference",
            "complaint_outcome_date", "service_type", "reference_document", "grounds",
            "remedy_sought", "involved_note", "relevant", "relevance_reasons", "technical_team",
            "decision", "decision_remedy", "decision_approved_at", "delivered_at",
            "delivery_channel", "archive_cabinet", "archive_box", "archive_folder", "status",
            "current_step", "current_actor", "current_since", "current_due_at",
            "current_at_risk_at", "created_by", "created_at", "closed_at",
        ),
    ),
    "step": (
        Step,
        (
            "id", "appeal", "number", "actor", "started_at", "completed_at", "completed_by",
            "outcome", "due_at", "at_risk_at", "at_risk_notified_at", "overdue_notified_at",
            "working_minutes", "within_standard", "data", "recorded_outcome", "recorded_data",
            "recorded_at", "recorded_by",
        ),
    ),
    "event": (
        Event,
        ("id", "appeal", "actor", "action", "step", "summary", "data", "public", "created_at",
         "prev_hash", "hash", "key_id"),
    ),
    "chain": (ChainHead, ("chain", "last_event_id", "last_hash", "count")),
    "notification": (
        Notification,
        ("id", "public_id", "recipient", "kind", "appeal", "step", "message", "created_at",
         "read_at"),
    ),
    "document": (
        Document,
        ("id", "public_id", "appeal", "kind", "step", "file", "original_name", "content_type",
         "size", "sha256", "uploaded_by", "uploaded_at"),
    ),
    "note": (
        Note,
        ("id", "appeal", "step", "kind", "text", "occurred_at", "author", "created_at"),
    ),
    "seat": (
        PanelSeat,
        ("id", "appeal", "user", "role", "appointed_at", "declared_at", "conflict"),
    ),
    "letter": (
        Letter,
        (
            "id", "public_id", "appeal", "kind", "step", "status", "fields", "number",
            "sequence", "year", "version", "pdf", "sha256", "verification_code", "created_by",
            "created_at", "updated_at", "issued_at", "issued_by", "signer", "signed_at",
            "occurrence", "on_behalf", "signed_as",
        ),
    ),
    "survey": (
        SurveyResponse,
        ("id", "public_id", "appeal", "respondent", "u1", "u2", "u3", "u4", "u5", "u6", "u7",
         "u8", "u9", "comment", "submitted_at"),
    ),
    "involved": (Appeal.involved_persons.through, ("id", "appeal", "user")),
}  # fmt: skip
# Tables whose ids are given here (ChainHead's key is the appeal's id).
COUNTED = [name for name in TABLES if name != "chain"]


@dataclass(frozen=True)
class Layout:
    """How one table's rows are written: the columns given by the rows, then the columns
    filled with a constant default."""

    model: type[Model]
    table: str
    columns: list[str]  # given by the row tuples
    default_columns: list[str]
    defaults: tuple
    per_row: list  # fields whose default is computed per row (a callable default)


def layout(name: str) -> Layout:
    model, names = TABLES[name]
    given = [model._meta.get_field(n) for n in names]
    given_names = {f.name for f in given}
    default_fields, defaults, per_row = [], [], []
    for field in model._meta.concrete_fields:
        if field.name in given_names:
            continue
        if (
            getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED
            and not field.has_default()
        ):
            continue  # the database fills it
        if field.has_default() and callable(field.default):
            per_row.append(field)
            continue
        default_fields.append(field.column)
        defaults.append(field.get_db_prep_save(field.get_default(), connection))
    return Layout(
        model=model,
        table=model._meta.db_table,
        columns=[f.column for f in given] + [f.column for f in per_row],
        default_columns=default_fields,
        defaults=tuple(defaults),
        per_row=per_row,
    )


def _with_per_row(rows: list[tuple], fields: list) -> Iterable[tuple]:
    if not fields:
        return rows
    return (
        row + tuple(f.get_db_prep_save(f.get_default(), connection) for f in fields) for row in rows
    )


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _literal(value) -> str | None:
    """A constant as SQLite SQL text (None if it is not a plain value)."""
    if value is None:
        return "NULL"
    if isinstance(value, int):  # and bool
        return str(int(value))
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


@dataclass(frozen=True)
class Staged:
    """SQLite: how a batch of one table's rows goes in. executemany binds them into a plain
    TEMP table (no constraint, no index, in memory), and one INSERT … SELECT copies them into
    the table. Inserting row by row into a Django table costs a statement per row: its
    AUTOINCREMENT counter read and written, a cursor opened on the table and on each of its
    indexes, its checks set up; the copy pays that once per batch. Measured on 100,000
    appeals: 29.2 s of executemany → 24.0 s staged, every table faster (steps 8.7 → 6.6 s,
    events 10.1 → 8.6 s)."""

    create: str  # CREATE TEMP TABLE
    fill: str  # the INSERT for executemany: the row's values as parameters
    copy: str  # INSERT … SELECT, the constant defaults written into the statement
    clear: str
    drop: str
    extra: tuple  # what each row is extended with when a default cannot be written so


def _sqlite_staged(name: str, lay: Layout) -> Staged:
    columns = lay.columns + lay.default_columns
    literals = [_literal(v) for v in lay.defaults]
    extra: tuple = ()
    if None in literals:
        width, literals, extra = len(columns), [], lay.defaults
    else:
        width = len(lay.columns)
    stage = f"temp.{_quote(f'seed_bulk_{name}')}"
    given = [f"c{i}" for i in range(width)]
    return Staged(
        create=f"CREATE TEMP TABLE {stage} ({', '.join(given)})",
        fill=f"INSERT INTO {stage} VALUES ({', '.join('?' * width)})",
        copy=(
            f"INSERT INTO main.{_quote(lay.table)} ({', '.join(_quote(c) for c in columns)}) "
            f"SELECT {', '.join(given + literals)} FROM {stage}"
        ),
        clear=f"DELETE FROM {stage}",
        drop=f"DROP TABLE {stage}",
        extra=extra,
    )


class Writer:
    """Writes batches inside the caller's transaction."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"seed-bulk tidak mendukung basis data {self.vendor}.")
        self.layouts = {name: layout(name) for name in TABLES}
        self.counts = dict.fromkeys(TABLES, 0)
        self._staged = {name: _sqlite_staged(name, lay) for name, lay in self.layouts.items()}
        self._aside: schema.SetAside | None = None
        self._key_checks: dict[str, str] = {}  # SQLite with key enforcement off: name -> SQL
        self._pg_aside: schema.PgSetAside | None = None

    # -- before ---------------------------------------------------------------------------------

    def lock(self) -> None:
        """PostgreSQL: no other writer inserts into these tables until the load commits (the
        ids are given here). SQLite's write transaction already excludes other writers."""
        if self.vendor == "postgresql":
            tables = ", ".join(_quote(lay.table) for lay in self.layouts.values())
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")

    def next_ids(self) -> dict[str, int]:
        """The first free id of each table: above the highest id in use and, so that no id
        is reused, above SQLite's AUTOINCREMENT counter or PostgreSQL's sequence."""
        ids = {}
        with connection.cursor() as cursor:
            for name in COUNTED:
                lay = self.layouts[name]
                highest = lay.model.objects.aggregate(m=Max("pk"))["m"] or 0
                if self.vendor == "sqlite":
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [lay.table])
                else:
                    cursor.execute(
                        "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s))",
                        [lay.table, lay.model._meta.pk.column],
                    )
                row = cursor.fetchone()
                ids[name] = max(highest, (row[0] or 0) if row else 0) + 1
        return ids

    def begin(self, ids: dict[str, int], *, rebuild: bool) -> None:
        """Set aside what slows the load down (schema.py): SQLite's insert triggers (and
        the staging tables made); on PostgreSQL, if `rebuild` (the load is larger than what
        the tables hold), the foreign keys and non-unique indexes. `ids` are the first ids
        loaded."""
        tables = {}
        for name, lay in self.layouts.items():
            first = ids["appeal" if name == "chain" else name]  # a chain's key: its appeal
            tables[lay.table] = (lay.model._meta.pk.column, first)
        if self.vendor == "sqlite":
            connection.ensure_connection()
            raw = connection.connection
            with connection.wrap_database_errors:
                for staged in self._staged.values():
                    raw.execute(staged.create)
                self._aside = schema.set_aside(raw, tables)
                if not raw.execute("PRAGMA foreign_keys").fetchone()[0]:
                    # The load turned enforcement off (bench.bulk.load): each
                    # batch's keys are checked once it is written (see write).
                    for name, lay in self.layouts.items():
                        sql = schema.key_check_sql(raw, lay.table, lay.model._meta.pk.column)
                        if sql is not None:
                            self._key_checks[name] = sql
        elif rebuild:
            with connection.cursor() as cursor:
                self._pg_aside = schema.pg_set_aside(cursor, list(tables))

    # -- rows -----------------------------------------------------------------------------------

    def write(self, batches: dict[str, list[tuple]]) -> None:
        for name in TABLES:
            rows = batches.get(name)
            if rows:
                self.counts[name] += len(rows)
                if self.vendor == "sqlite":
                    self._sqlite(name, rows)
                else:
                    self._copy(name, rows)
        if self._key_checks:
            self._check_keys(batches)

    def _check_keys(self, batches: dict[str, list[tuple]]) -> None:
        """SQLite with enforcement off: the batch's rows (each table's ids ascend in its
        batch) all point to rows that exist, else the load fails as a key would fail it.
        One statement per table over the rows just written, which are in the page cache:
        cheaper than the enforcement's lookups row by row (measured, load.py)."""
        raw = connection.connection
        for name, sql in self._key_checks.items():
            rows = batches.get(name)
            if not rows:
                continue
            with connection.wrap_database_errors:
                found = raw.execute(sql, (rows[0][0], rows[-1][0])).fetchone()
            if found is not None:
                table = self.layouts[name].table
                raise IntegrityError(
                    f"FOREIGN KEY constraint failed: {table} id {found[0]} points to no row."
                )

    def _sqlite(self, name: str, rows: list[tuple]) -> None:
        staged = self._staged[name]
        rows = _with_per_row(rows, self.layouts[name].per_row)
        if staged.extra:
            rows = [row + staged.extra for row in rows]
        raw = connection.connection
        with connection.wrap_database_errors:  # django.db's errors, as from a cursor
            raw.executemany(staged.fill, rows)
            raw.execute(staged.copy)
            raw.execute(staged.clear)

    def _copy(self, name: str, rows: list[tuple]) -> None:
        lay = self.layouts[name]
        columns = ", ".join(_quote(c) for c in lay.columns + lay.default_columns)
        defaults = lay.defaults
        sql = f"COPY {_quote(lay.table)} ({columns}) FROM STDIN"
        with (
            connection.wrap_database_errors,  # django.db's errors, as from a cursor
            connection.cursor() as cursor,
            cursor.cursor.copy(sql) as copy,
        ):
            for row in _with_per_row(rows, lay.per_row):
                copy.write_row(row + defaults)

    # -- after ----------------------------------------------------------------------------------

    def finish(self) -> None:
        """What was set aside put back; PostgreSQL: the sequences continue after the ids
        given here."""
        if self.vendor == "sqlite":
            with connection.wrap_database_errors:
                for staged in self._staged.values():
                    connection.connection.execute(staged.drop)
                if self._aside is not None:
                    schema.put_back(connection.connection, self._aside)
            self._aside = None
            return
        models = [lay.model for name, lay in self.layouts.items() if name in COUNTED]
        with connection.cursor() as cursor:
            if self._pg_aside is not None:
                schema.pg_put_back(cursor, self._pg_aside)
                self._pg_aside = None
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)

    def analyze(self) -> None:
        """PostgreSQL: fresh planner statistics for the grown tables, and (outside a caller's
        transaction, where VACUUM cannot run) their visibility map, which index-only scans
        need: a deep register page read 52 ms before it, 22 ms after. Autovacuum would do
        both soon; the benchmark should not depend on when."""
        if self.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for lay in self.layouts.values():
                    cursor.execute(f"{command} {_quote(lay.table)}")
