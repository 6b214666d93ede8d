"""The corrective actions' three actions, the only code that writes CorrectiveAction rows
(the reminders' claim aside): added (with the owner told), completed by the owner, checked
for effectiveness by the Ketua Tim PJTK (an ineffective one is followed by a new action).
Each locks the appeal, checks role and state (banding.corrective.rules), validates, and
writes the change, its audit event and its notices in one transaction; a refusal writes
nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import is_internal
from banding.appeals.models import Appeal
from banding.appeals.notices import Kind, notify
from banding.appeals.services.shared import check_lengths, clean, locked, require
from banding.audit.actions import Action
from banding.audit.log import record
from banding.corrective import rules
from banding.corrective.models import CorrectiveAction, Status
from banding.errors import Invalid
from banding.formats import format_instant
from banding.workdays.calendar import WorkCalendar, load_calendar

MAX_DAYS = 250  # about a year of working days
UNKNOWN_OWNER = N_("Penanggung jawab tidak ditemukan atau bukan pegawai Balai yang aktif.")


@dataclass(frozen=True)
class Due:
    """When an action is due: `days` working days from now, or the end of the working day
    `on`; exactly one of them."""

    days: int | None = None
    on: date | None = None


def owner_from(public_id: uuid.UUID | str | None, *, field: str = "owner") -> User:
    """The active institute user of `public_id`, or refused (unknown, inactive, a customer)."""
    require(bool(public_id), N_("Pilih penanggung jawab tindakan perbaikan."), field=field)
    assert public_id is not None  # refused just above
    try:
        user = User.objects.filter(public_id=public_id, is_active=True).first()
    except (ValidationError, ValueError):
        user = None
    if user is None or user.organization_id is not None or not is_internal(user):
        raise Invalid(UNKNOWN_OWNER, code="unknown_owner", fields={field: [UNKNOWN_OWNER]})
    return user


def due_instants(
    due: Due, now: datetime, calendar: WorkCalendar, *, prefix: str = ""
) -> tuple[datetime, datetime]:
    """(due_at, remind_at): the due instant in working time, and the opening of the working
    day before the one it falls on (the "hampir jatuh tempo" reminder)."""
    days_field, date_field = f"{prefix}due_days", f"{prefix}due_date"
    if (due.days is None) == (due.on is None):
        message = N_("Isi tenggat: jumlah hari kerja atau tanggal (salah satu).")
        raise Invalid(message, fields={days_field: [message], date_field: [message]})
    if due.days is not None:
        require(
            1 <= due.days <= MAX_DAYS,
            _("Jumlah hari kerja antara 1 dan %(max)s.") % {"max": MAX_DAYS},
            field=days_field,
        )
        due_at = calendar.add_days(now, due.days)
    else:
        assert due.on is not None
        window = calendar.window(due.on)
        require(
            window is not None,
            N_("Tanggal tenggat bukan hari kerja (akhir pekan, hari libur, atau cuti bersama)."),
            field=date_field,
        )
        assert window is not None
        due_at = window[1]
        require(due_at > now, N_("Tanggal tenggat sudah lewat."), field=date_field)
    local = calendar.local(due_at).date()
    day = local - timedelta(days=1)
    for _day in range(31):
        opening = calendar.window(day)
        if opening is not None:
            return due_at, opening[0]
        day -= timedelta(days=1)
    return due_at, calendar.next_open(due_at.replace(hour=0, minute=0))


def when(instant: datetime) -> str:
    return format_instant(instant, pukul=True)


def _new(
    appeal: Appeal,
    *,
    user: User,
    description: str,
    owner: User,
    due: Due,
    follows: CorrectiveAction | None,
    field_prefix: str = "",
) -> CorrectiveAction:
    description = clean(description)
    require(
        bool(description),
        N_("Uraian tindakan perbaikan wajib diisi."),
        field=f"{field_prefix}description",
    )
    now = timezone.now()
    due_at, remind_at = due_instants(due, now, load_calendar(), prefix=field_prefix)
    action = CorrectiveAction(
        appeal=appeal,
        description=description,
        owner=owner,
        due_at=due_at,
        remind_at=remind_at,
        follows=follows,
        created_by=user,
        created_at=now,
        # Due within a working day: the notice of the assignment is the reminder.
        due_soon_notified_at=now if remind_at <= now else None,
    )
    action.save(force_insert=True)
    record(
        action=Action.CORRECTIVE_ACTION_ADDED,
        summary=(
            f"Tindakan perbaikan ditambahkan: {description[:200]}; penanggung jawab "
            f"{owner.display_name}, tenggat {when(due_at)}"
            + (" (tindak lanjut tindakan yang tidak efektif)" if follows else "")
        ),
        actor=user,
        appeal=appeal,
        data={
            "corrective_action": str(action.public_id),
            "owner": str(owner.public_id),
            "due_at": due_at,
            "follows": str(follows.public_id) if follows else None,
        },
    )
    notify(
        recipients=[owner],
        kind=Kind.STEP_ASSIGNED,
        appeal=appeal,
        step=None,
        message=(
            N_(
                "Anda penanggung jawab tindakan perbaikan banding %(number)s: %(description)s "
                "(tenggat %(due_at)s)."
            )
            % {"number": appeal.number, "description": description[:200], "due_at": when(due_at)}
        ),
    )
    return action


def corrective_add(
    *,
    appeal: Appeal,
    user: User,
    description: str,
    owner: uuid.UUID | str | None,
    due: Due,
) -> CorrectiveAction:
    """The panel's chair (step 9 or 10) or the Ketua Tim PJTK adds a corrective action to an
    appeal whose decision accepts it wholly or in part; its owner is told."""
    with transaction.atomic():
        appeal = locked(appeal)
        rules.require_add(user, appeal)
        check_lengths(CorrectiveAction, {"description": description})
        return _new(
            appeal,
            user=user,
            description=description,
            owner=owner_from(owner),
            due=due,
            follows=None,
        )


def _locked_action(action: CorrectiveAction) -> CorrectiveAction:
    """The action re-read under its appeal's lock (the services' lock order: appeal first)."""
    appeal = locked(action.appeal)
    found = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    found.appeal = appeal
    return found


def corrective_complete(*, action: CorrectiveAction, user: User, note: str) -> CorrectiveAction:
    """The owner reports the action done, with what was done."""
    with transaction.atomic():
        action = _locked_action(action)
        rules.require_complete(user, action)
        note = clean(note)
        require(bool(note), N_("Tuliskan apa yang telah dikerjakan."), field="note")
        action.status = Status.DONE
        action.completed_at = timezone.now()
        action.completion_note = note
        action.save(update_fields=["status", "completed_at", "completion_note"])
        record(
            action=Action.CORRECTIVE_ACTION_COMPLETED,
            summary=f"Tindakan perbaikan diselesaikan: {action.description[:200]}",
            actor=user,
            appeal=action.appeal,
            data={"corrective_action": str(action.public_id), "note": note},
        )
    return action


@dataclass(frozen=True)
class FollowUp:
    """The action that follows one found not effective."""

    description: str
    owner: uuid.UUID | str | None
    due: Due


def corrective_check(
    *,
    action: CorrectiveAction,
    user: User,
    effective: bool | None,
    note: str,
    follow_up: FollowUp | None = None,
) -> CorrectiveAction:
    """The Ketua Tim PJTK records whether a completed action was effective. One found not
    effective stays on the record as such and is followed by a new action (`follow_up`,
    required then), added in the same transaction."""
    with transaction.atomic():
        action = _locked_action(action)
        rules.require_check(user, action)
        require(
            effective is not None,
            N_("Pilih hasil verifikasi: efektif atau tidak efektif."),
            field="effective",
        )
        note = clean(note)
        require(bool(note), N_("Catatan verifikasi keefektifan wajib diisi."), field="note")
        if not effective:
            require(
                follow_up is not None,
                N_(
                    "Tindakan yang tidak efektif ditindaklanjuti dengan tindakan perbaikan baru: "
                    "isi uraian, penanggung jawab dan tenggatnya."
                ),
                field="follow_up_description",
            )
        action.status = Status.EFFECTIVE if effective else Status.INEFFECTIVE
        action.checked_at = timezone.now()
        action.checked_by = user
        action.effectiveness_note = note
        action.save(update_fields=["status", "checked_at", "checked_by", "effectiveness_note"])
        record(
            action=Action.CORRECTIVE_ACTION_CHECKED,
            summary=(
                f"Keefektifan tindakan perbaikan diverifikasi: {action.get_status_display()}"
                f" — {action.description[:200]}"
            ),
            actor=user,
            appeal=action.appeal,
            data={
                "corrective_action": str(action.public_id),
                "effective": bool(effective),
                "note": note,
            },
        )
        if not effective:
            assert follow_up is not None  # required above
            check_lengths(
                CorrectiveAction,
                {"description": follow_up.description},
                field="follow_up_description",
            )
            _new(
                action.appeal,
                user=user,
                description=follow_up.description,
                owner=owner_from(follow_up.owner, field="follow_up_owner"),
                due=follow_up.due,
                follows=action,
                field_prefix="follow_up_",
            )
    return action
