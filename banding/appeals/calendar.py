"""Changes to the working calendar (banding.workdays.models.CalendarOverride). They live with
the appeals, not in banding.workdays, because they check the account's role, write the audit
event and move the appeals' deadlines. Each writes its audit event in the same transaction,
moves the deadlines of the open steps the changed date affects (banding.appeals.recompute) and,
once that transaction commits, makes this process reload its calendar (other processes reload
within BANDING_CALENDAR_CACHE_SECONDS)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals.recompute import deadlines_recompute
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid, NotFound
from banding.formats import format_date
from banding.workdays.calendar import current_calendar, invalidate, load_calendar
from banding.workdays.models import CalendarOverride, OverrideKind

ONLY_ADMIN = N_("Hanya administrator yang dapat mengubah kalender kerja.")


def override_problems(*, day: date, kind: str, reason: str) -> dict[str, str]:
    """What is wrong with a proposed override, by form field; empty when it may be added.
    An override must change something: a closure on an office day that is not already a
    holiday, a working day on a listed holiday that falls on an office day."""
    problems: dict[str, str] = {}
    if not reason.strip():
        problems["reason"] = N_("Alasan wajib diisi (misalnya nomor SK atau surat edaran).")
    if kind not in OverrideKind.values:
        problems["kind"] = N_("Jenis harus 'closed' (tutup) atau 'working' (hari kerja).")
        return problems
    if CalendarOverride.objects.filter(date=day).exists():
        problems["date"] = _("%(day)s sudah memiliki pengecualian kalender.") % {
            "day": format_date(day)
        }
        return problems
    calendar = current_calendar()
    holiday = calendar.holiday_name(day)
    if day.weekday() not in calendar.hours:
        problems["date"] = _(
            "%(day)s bukan hari kantor (jam kantor hari itu tidak diatur di "
            "BANDING_OFFICE_HOURS), jadi tidak dapat diubah di sini."
        ) % {"day": format_date(day)}
    elif kind == OverrideKind.CLOSED and holiday is not None:
        problems["date"] = _("%(day)s sudah libur menurut paket holidays: %(holiday)s.") % {
            "day": format_date(day),
            "holiday": holiday,
        }
    elif kind == OverrideKind.WORKING and holiday is None:
        problems["date"] = _(
            "%(day)s bukan hari libur menurut paket holidays; sudah hari kerja."
        ) % {"day": format_date(day)}
    return problems


def _require_admin(actor: User | AnonymousUser | None) -> User:
    """The actor, once known to be an administrator (an anonymous user has no role)."""
    if actor is None or not actor.is_authenticated or not has_role(actor, Role.ADMIN):
        raise Forbidden(ONLY_ADMIN)
    return actor


@transaction.atomic
def override_add(
    *, actor: User | AnonymousUser | None, day: date, kind: str, reason: str
) -> CalendarOverride:
    """Close an office day, or work a listed holiday."""
    admin = _require_admin(actor)
    reason = reason.strip()
    problems = override_problems(day=day, kind=kind, reason=reason)
    if problems:
        raise Invalid(next(iter(problems.values())), fields=problems)
    try:
        with transaction.atomic():
            override = CalendarOverride.objects.create(
                date=day, kind=kind, reason=reason, created_by=admin
            )
    except IntegrityError:
        # Another administrator added the same date between the check and the insert.
        raise Conflict(
            _("%(day)s sudah memiliki pengecualian kalender.") % {"day": format_date(day)}
        ) from None
    label = "ditetapkan tutup" if kind == OverrideKind.CLOSED else "ditetapkan hari kerja"
    record(
        action=Action.CALENDAR_OVERRIDE_ADDED,
        summary=f"Kalender kerja: {format_date(day)} {label} ({reason})",
        actor=admin,
        data={"date": day.isoformat(), "kind": kind, "reason": reason},
    )
    # The cached calendar changes only after commit; the new one is read here.
    deadlines_recompute(
        calendar=load_calendar(),
        actor=admin,
        reason=f"{format_date(day)} {label} ({reason})",
        day=day,
    )
    transaction.on_commit(invalidate)
    return override


@transaction.atomic
def override_remove(*, actor: User | AnonymousUser | None, override: CalendarOverride) -> None:
    """Withdraw an override: the date follows the holidays package again."""
    admin = _require_admin(actor)
    deleted, _rows = CalendarOverride.objects.filter(pk=override.pk).delete()
    if not deleted:
        raise NotFound(
            _("Pengecualian kalender %(date)s sudah tidak ada.")
            % {"date": format_date(override.date)}
        )
    record(
        action=Action.CALENDAR_OVERRIDE_REMOVED,
        summary=f"Kalender kerja: pengecualian {format_date(override.date)} dicabut",
        actor=admin,
        data={"date": override.date.isoformat(), "kind": override.kind, "reason": override.reason},
    )
    deadlines_recompute(
        calendar=load_calendar(),
        actor=admin,
        reason=f"pengecualian kalender {format_date(override.date)} dicabut",
        day=override.date,
    )
    transaction.on_commit(invalidate)
