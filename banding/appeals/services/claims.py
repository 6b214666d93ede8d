"""Taking and releasing a shared step (*Saya kerjakan* / *Lepaskan*): the rules are
banding.appeals.claims. Each locks the appeal first, so two people taking the same step at
once queue on the lock and the second finds it taken (a conditional update backs that up
where the database has no row locks)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from banding.accounts.models import User
from banding.appeals import access, claims
from banding.appeals.models import Appeal, Step
from banding.appeals.services.shared import locked, open_occurrence
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden
from banding.formats import format_wib
from banding.sop import definition as sop
from banding.sop.definition import Actor


def _open_step(appeal: Appeal, number: int | None) -> Step:
    """The appeal's open step (refused when the appeal is closed, or stands at another step
    than `number`, the one the user saw)."""
    if not appeal.is_open:
        raise Conflict(
            _("Banding %(number)s sudah %(status)s; langkahnya tidak dapat diambil lagi.")
            % {"number": appeal.number, "status": appeal.get_status_display().lower()},
            code="appeal_closed",
        )
    if number is not None:
        access.require_state(appeal, number)
    return open_occurrence(appeal, appeal.open_step_number)


def _taken_message(step: Step, taker: User | None) -> str:
    return _("Langkah %(step)s (%(title)s) sudah dikerjakan oleh %(name)s sejak %(since)s.") % {
        "step": step.number,
        "title": sop.step(step.number).title,
        "name": taker.display_name if taker else "",
        "since": format_wib(step.taken_at),
    }


def _taken(appeal: Appeal, step: Step) -> None:
    """The appeal's copy of who has its open step (Appeal.current_taken_by, which Tugas saya
    reads), written in the same transaction as the step's."""
    appeal.current_taken_by_id, appeal.current_taken_at = step.taken_by_id, step.taken_at
    Appeal.objects.filter(pk=appeal.pk).update(
        current_taken_by=step.taken_by_id, current_taken_at=step.taken_at
    )


def step_take(*, appeal: Appeal, user: User, number: int | None = None) -> Step:
    """`user` takes the appeal's open step (*Saya kerjakan*): only one who plays its actor,
    only a shared step (banding.appeals.claims), only while nobody has it. `number`: the
    step the user saw; refused when the appeal has moved on."""
    with transaction.atomic():
        appeal = locked(appeal)
        step = _open_step(appeal, number)
        s = sop.step(step.number)
        if not access.plays(user, appeal, s.actor):
            raise Forbidden(access.actor_refusal(s.actor, s.number), code="not_your_role")
        if not claims.shared(s.actor):
            words = {"step": s.number, "title": s.title, "actor": s.actor_label}
            message = (
                _(
                    "Langkah %(step)s (%(title)s) dikerjakan bersama oleh %(actor)s; "
                    "langkah ini tidak diambil satu orang."
                )
                if s.actor == Actor.TPB
                else _(
                    "Langkah %(step)s (%(title)s) adalah giliran %(actor)s sendiri, bukan "
                    "giliran bersama beberapa orang; langkah ini tidak perlu diambil."
                )
            )
            raise Conflict(message % words, code="not_shared")
        if step.taken_by_id == user.pk:
            raise Conflict(
                _("Anda sudah mengerjakan langkah %(step)s (%(title)s).")
                % {"step": s.number, "title": s.title},
                code="taken_by_you",
            )
        if step.taken_by_id is not None:
            raise Conflict(_taken_message(step, step.taken_by), code="already_taken")
        now = timezone.now()
        # Conditional: nobody took it since it was read (the lock above already queues a
        # second taker on PostgreSQL; this holds wherever rows cannot be locked).
        won = Step.objects.filter(
            pk=step.pk, completed_at__isnull=True, taken_by__isnull=True
        ).update(taken_by=user, taken_at=now)
        if not won:
            step.refresh_from_db(fields=["taken_by", "taken_at"])
            raise Conflict(_taken_message(step, step.taken_by), code="already_taken")
        step.taken_by, step.taken_at = user, now
        _taken(appeal, step)
        record(
            action=Action.STEP_TAKEN,
            actor=user,
            appeal=appeal,
            step=s.number,
            summary=f"{user.display_name} mengerjakan langkah {s.number} ({s.title}).",
            data={"number": s.number},
        )
        return step


def step_release(*, appeal: Appeal, user: User, number: int | None = None) -> Step:
    """The appeal's open step taken by someone is released (*Lepaskan*): by its taker, or
    by whom its late steps escalate to, or the head (banding.appeals.claims.supervises).
    Completing a step needs no release: the next step opens untaken."""
    with transaction.atomic():
        appeal = locked(appeal)
        step = _open_step(appeal, number)
        s = sop.step(step.number)
        if step.taken_by_id is None:
            raise Conflict(
                _("Langkah %(step)s (%(title)s) tidak sedang dikerjakan siapa pun.")
                % {"step": s.number, "title": s.title},
                code="not_taken",
            )
        taker = step.taken_by
        assert taker is not None  # taken_by_id is set
        mine = taker.pk == user.pk
        if not mine and not claims.supervises(user, appeal, s.actor):
            raise Forbidden(
                _(
                    "Langkah %(step)s (%(title)s) dikerjakan oleh %(name)s; hanya dia, "
                    "atasannya atau Kepala Balai yang dapat melepaskannya."
                )
                % {"step": s.number, "title": s.title, "name": taker.display_name},
                code="not_taker",
            )
        Step.objects.filter(pk=step.pk).update(taken_by=None, taken_at=None)
        step.taken_by, step.taken_at = None, None
        _taken(appeal, step)
        summary = f"{user.display_name} melepaskan langkah {s.number} ({s.title})"
        if not mine:
            summary += f" yang dikerjakan oleh {taker.display_name}"
        record(
            action=Action.STEP_RELEASED,
            actor=user,
            appeal=appeal,
            step=s.number,
            summary=summary + ".",
            data={"number": s.number, "taken_by": str(taker.public_id)},
        )
        return step
