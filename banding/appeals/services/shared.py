"""What the services of every phase share: the appeal locked, the checks, a step
completed with its event and the next one opened, and uploads stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals import deadlines, hooks
from banding.appeals.models import (
    Appeal,
    Channel,
    Document,
    Step,
)
from banding.appeals.uploads import CheckedFile
from banding.appeals.vacancy import panel_state
from banding.audit.actions import Action, step_action
from banding.audit.log import Entry, record, record_all
from banding.errors import Conflict, Forbidden, Invalid
from banding.sop import definition as sop
from banding.workdays.calendar import WorkCalendar, load_calendar

INTAKE_CHANNELS = (Channel.EMAIL, Channel.COURIER, Channel.IN_PERSON)


def locked(appeal: Appeal) -> Appeal:
    """The appeal re-read under a row lock: concurrent actions on it queue here, and the
    second sees the state the first left."""
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def fresh(appeal: Appeal) -> Appeal:
    """The appeal as it stands now, without a lock: for refusing early, before reading an
    upload; the locked re-check inside the transaction is the one that counts."""
    return Appeal.objects.get(pk=appeal.pk)


def require(
    condition: bool, message: str, *, field: str | None = None, code: str = "invalid"
) -> None:
    if not condition:
        raise Invalid(message, code=code, fields={field: [message]} if field else None)


def required[T](value: T | None, message: str, *, field: str) -> T:
    """`value`, refused as `require` refuses when it is missing (None)."""
    require(value is not None, message, field=field)
    assert value is not None  # refused just above
    return value


def clean(value: str | None) -> str:
    return (value or "").strip()


def not_in_future(value: date | datetime, field: str, label: str) -> None:
    now = timezone.now()
    limit = now if isinstance(value, datetime) else timezone.localdate(now)
    require(
        value <= limit, _("%(label)s tidak boleh di masa depan.") % {"label": label}, field=field
    )


def check_lengths(model: type[Model], values: dict[str, Any], *, field: str | None = None) -> None:
    """Text longer than its column holds is refused with the field named, before any file is
    stored (PostgreSQL would refuse it at the insert, SQLite would keep it whole)."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            errors[field or name] = [
                _("Paling banyak %(limit)s karakter (tertulis %(written)s).")
                % {"limit": limit, "written": len(value)}
            ]
    if errors:
        raise Invalid(N_("Isian terlalu panjang."), fields=errors)


def advance(appeal: Appeal, *, user: User, number: int, outcome: str, data: dict) -> Step:
    """Complete the open occurrence of step `number` with `outcome` and open the next step
    that the SOP definition names (or close the appeal). Refused, before anything is written,
    while an output the step requires for `outcome` is missing; the outputs it has are
    recorded in `data` (kind, number, SHA-256)."""
    now = timezone.now()
    current = appeal.steps.get(completed_at__isnull=True)
    if current.number != number:  # the denormalised columns and the steps disagree
        raise Conflict(
            _("Langkah terbuka banding %(number)s tidak sesuai.") % {"number": appeal.number}
        )
    hooks.completing(appeal=appeal, step=current, outcome=outcome, data=data)
    current.completed_by = user
    current.outcome = outcome
    current.data = data
    measure(current, now)
    current.save(update_fields=COMPLETED_FIELDS)
    result = sop.step(number).outcome(outcome)
    if result.next_step == sop.END:
        end(appeal, result.closes_as, now)
    else:
        open_step(appeal, result.next_step, now)
    appeal.save()
    hooks.figures_changed(since=now)
    reached = sop.reached_by(number, outcome)
    if reached is not None:
        hooks.announce(reached=[(appeal, reached, current)])
    return current


def complete(
    appeal: Appeal, *, user: User, number: int, outcome: str, data: dict, summary: str
) -> Step:
    """Complete step `number` (advance) and write its public event, which tells the
    customer's timeline."""
    step = advance(appeal, user=user, number=number, outcome=outcome, data=data)
    _record_step(appeal, user, number, outcome, summary, data)
    return step


# What completing a step writes on it (advance; services.ending, which stops it).
COMPLETED_FIELDS = [
    "completed_at",
    "completed_by",
    "outcome",
    "data",
    "working_minutes",
    "within_standard",
]


def end(appeal: Appeal, status: str, now: datetime) -> None:
    """The appeal ends with `status`: no open step, no current actor or deadline, and its
    total working time summed from its steps (saved by the caller; the step that ends it is
    saved before)."""
    appeal.working_minutes = appeal.steps.aggregate(total=Sum("working_minutes"))["total"]
    appeal.status = status
    appeal.current_step = None
    appeal.current_actor = ""
    appeal.current_since = None
    appeal.current_due_at = None
    appeal.current_at_risk_at = None
    appeal.current_taken_by_id = None
    appeal.current_taken_at = None
    appeal.closed_at = now


def measure(step: Step, completed_at: datetime) -> None:
    """Record the working time a step took and whether it kept its standard time."""
    step.completed_at = completed_at
    step.working_minutes = deadlines.working_minutes(step.started_at, completed_at)
    step.within_standard = step.due_at is None or completed_at <= step.due_at


def new_step(
    appeal: Appeal | None, number: int, started_at: datetime, calendar: WorkCalendar | None = None
) -> Step:
    s = sop.step(number)
    # A stored deadline is read from the override table in this transaction, not from this
    # process's cached calendar, which may not yet know another process's calendar change.
    deadline = deadlines.deadline_for(number, started_at, calendar or load_calendar())
    return Step(
        appeal=appeal,
        number=s.number,
        actor=s.actor,
        started_at=started_at,
        due_at=deadline.due_at,
        at_risk_at=deadline.at_risk_at,
    )


def open_step(
    appeal: Appeal, number: int, started_at: datetime, calendar: WorkCalendar | None = None
) -> Step:
    step = new_step(appeal, number, started_at, calendar)
    step.save()
    for name, value in current_fields(step).items():
        setattr(appeal, name, value)
    hooks.announce(opened=[(appeal, step)])
    return step


def current_fields(step: Step) -> dict:
    """The appeal's denormalised "where it stands" columns while `step` is open."""
    return {
        "current_step": step.number,
        "current_actor": step.actor,
        "current_since": step.started_at,
        "current_due_at": step.due_at,
        "current_at_risk_at": step.at_risk_at,
        # A step opens untaken (services.claims takes it and writes both with the step's).
        "current_taken_by_id": step.taken_by_id,
        "current_taken_at": step.taken_at,
    }


def _record_step(
    appeal: Appeal, user: User, number: int, outcome: str, summary: str, data: dict
) -> None:
    record(
        action=step_action(number, outcome),
        summary=summary,
        actor=user,
        appeal=appeal,
        step=number,
        data=data,
        public=True,
    )


def open_occurrence(appeal: Appeal, number: int) -> Step:
    step = appeal.steps.get(completed_at__isnull=True)
    if step.number != number:  # the denormalised columns and the steps disagree
        raise Conflict(
            _("Langkah terbuka banding %(number)s tidak sesuai.") % {"number": appeal.number}
        )
    return step


def require_declared(appeal: Appeal, user: User) -> None:
    """A panel member acts only on a complete panel (no seat vacated by a declared conflict
    left unfilled, every replacement named by an issued surat tugas: `panel_incomplete`) and
    after declaring no conflict of interest on their own seated seat."""
    state = panel_state(appeal)
    if not state.complete:
        raise Conflict(state.message(), code="panel_incomplete")
    seat = next((s for s in state.seated if s.user_id == user.pk), None)
    if seat is None or seat.declared_at is None:
        raise Forbidden(
            N_(
                "Nyatakan dahulu bahwa Anda bebas benturan kepentingan sebelum bertindak sebagai "
                "anggota Tim Panel Banding."
            ),
            code="declaration_required",
        )


@dataclass(frozen=True)
class WrittenFile:
    """An uploaded file already in storage, waiting for its Document row."""

    public_id: uuid.UUID
    name: str
    checked: CheckedFile


def write_file(
    appeal_public_id: uuid.UUID, checked: CheckedFile, written: list[str]
) -> WrittenFile:
    """Store a checked upload before the transaction, so no lock is held during file I/O;
    `files_removed_on_error` removes it again if the action then fails."""
    public_id = uuid.uuid4()
    # The stored name carries no user input: the original name is kept in the row.
    name = default_storage.save(f"appeals/{appeal_public_id}/{public_id}", checked.upload)
    written.append(name)
    return WrittenFile(public_id, name, checked)


def document_row(
    appeal: Appeal,
    file: WrittenFile,
    *,
    kind: str,
    step: int,
    user: User,
    uploaded_at: datetime | None = None,
) -> Document:
    """The (unsaved) row of a stored upload."""
    checked = file.checked
    return Document(
        public_id=file.public_id,
        appeal=appeal,
        kind=kind,
        step=step,
        file=file.name,
        original_name=(checked.upload.name or "berkas")[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        uploaded_at=uploaded_at or timezone.now(),
    )


def document_added(doc: Document, user: User) -> Entry:
    return Entry(
        action=Action.DOCUMENT_ADDED,
        summary=f"Dokumen ditambahkan: {doc.get_kind_display()} ({doc.original_name})",
        actor=user,
        step=doc.step,
        data={"document": str(doc.public_id), "kind": doc.kind, "sha256": doc.sha256},
    )


def store_document(
    appeal: Appeal,
    file: WrittenFile,
    *,
    kind: str,
    step: int,
    user: User,
    uploaded_at: datetime | None = None,
) -> Document:
    doc = document_row(appeal, file, kind=kind, step=step, user=user, uploaded_at=uploaded_at)
    doc.save(force_insert=True)
    record_all(appeal, [document_added(doc, user)])
    return doc
