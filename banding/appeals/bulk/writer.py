"""Writing generated rows fast: raw inserts with column lists derived from each model's
concrete fields, so a column added later with a default keeps working (it gets
`field.get_default()`).

SQLite: each batch goes into a TEMP table first, then into the real table with one
INSERT … SELECT — one statement per batch, so the full-text triggers of migration 0005 fire
for every row while FTS5 flushes once per batch instead of once per row. PostgreSQL: COPY.
Ids are given here (the audit chain's order is the event id), from the highest id in use;
on PostgreSQL the tables are locked for the load and the sequences set after it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection
from django.db.models import NOT_PROVIDED, Max, Model

from banding.accounts.models import User  # noqa: F401  (the Appeal.involved_persons target)
from banding.appeals.models import Appeal, Document, Note, PanelSeat, Step
from banding.audit.models import ChainHead, Event
from banding.letters.models import Letter
from banding.notifications.models import Notification
from banding.survey.models import SurveyResponse

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
            "working_minutes", "within_standard", "data",
        ),
    ),
    "event": (
        Event,
        ("id", "appeal", "actor", "action", "step", "summary", "data", "public", "created_at",
         "prev_hash", "hash"),
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
    "seat": (PanelSeat, ("id", "appeal", "user", "role", "appointed_at", "declared_at")),
    "letter": (
        Letter,
        (
            "id", "public_id", "appeal", "kind", "step", "status", "fields", "number",
            "sequence", "year", "version", "pdf", "sha256", "verification_code", "created_by",
            "created_at", "updated_at", "issued_at", "issued_by", "signer", "signed_at",
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


class Writer:
    """Writes batches inside the caller's transaction."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"seed-bulk tidak mendukung basis data {self.vendor}.")
        self.layouts = {name: layout(name) for name in TABLES}
        self.counts = dict.fromkeys(TABLES, 0)
        self._staged: set[str] = set()

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

    def _sqlite(self, name: str, rows: list[tuple]) -> None:
        lay = self.layouts[name]
        stage = f"temp.bulk_{name}"
        columns = ", ".join(_quote(c) for c in lay.columns)
        raw = connection.connection
        if name not in self._staged:
            raw.execute(f"DROP TABLE IF EXISTS {stage}")
            raw.execute(f"CREATE TEMP TABLE bulk_{name} AS SELECT {columns} FROM "
                        f"main.{_quote(lay.table)} WHERE 0")  # fmt: skip
            self._staged.add(name)
        marks = ", ".join("?" * len(lay.columns))
        raw.executemany(f"INSERT INTO {stage} VALUES ({marks})", _with_per_row(rows, lay.per_row))
        targets = columns + "".join(f", {_quote(c)}" for c in lay.default_columns)
        values = columns + ", ?" * len(lay.default_columns)
        raw.execute(
            f"INSERT INTO main.{_quote(lay.table)} ({targets}) SELECT {values} FROM {stage}",
            lay.defaults,
        )
        raw.execute(f"DELETE FROM {stage}")

    def _copy(self, name: str, rows: list[tuple]) -> None:
        lay = self.layouts[name]
        columns = ", ".join(_quote(c) for c in lay.columns + lay.default_columns)
        defaults = lay.defaults
        sql = f"COPY {_quote(lay.table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in _with_per_row(rows, lay.per_row):
                copy.write_row(row + defaults)

    # -- after ----------------------------------------------------------------------------------

    def finish(self) -> None:
        """PostgreSQL: the sequences continue after the ids given here."""
        if self.vendor == "sqlite":
            with connection.cursor() as cursor:
                for name in self._staged:
                    cursor.execute(f"DROP TABLE IF EXISTS temp.bulk_{name}")
            return
        models = [lay.model for name, lay in self.layouts.items() if name in COUNTED]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)

    def analyze(self) -> None:
        """PostgreSQL: fresh planner statistics for the grown tables (autovacuum would take
        them soon; the benchmark should not depend on when)."""
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                for lay in self.layouts.values():
                    cursor.execute(f"ANALYZE {_quote(lay.table)}")
