"""The appeal page: its data, SOP progress, timeline, documents, panel, notes and — for
the user whose turn it is — the forms of the current step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.accounts.models import User
from banding.accounts.roles import Role, has_role, is_internal
from banding.appeals import access, deadlines, selectors, similar
from banding.appeals.forms.steps import DECLARATION, StepForm
from banding.appeals.models import Appeal, PanelSeat, Step
from banding.appeals.vacancy import panel_state
from banding.appeals.views import actions
from banding.appeals.views.common import appeal_or_404, staff_required
from banding.appeals.views.progress import progress
from banding.audit.timeline import fold
from banding.errors import said
from banding.letters import outputs, visibility
from banding.letters.selectors import card as letters_card
from banding.sop import definition as sop
from banding.sop.definition import Actor

TEMPLATE = "appeals/detail.html"


@dataclass(frozen=True)
class Shown:
    """One action form shown on the page."""

    action: actions.Action
    form: StepForm


def _form(action: actions.Action, appeal: Appeal, user: User, bound: Shown | None) -> Shown:
    if bound is not None and bound.action.slug == action.slug:
        return bound
    form = action.form(appeal=appeal, user=user, auto_id=f"{action.slug}-%s")
    return Shown(action, form)


def waiting_for(appeal: Appeal, seats: list[PanelSeat]) -> str:
    """Who must act now, in words."""
    step = sop.step(appeal.open_step_number)
    if step.actor == Actor.TEK and appeal.technical_team:
        return f"{step.actor_label}: {appeal.technical_team.name}"
    seated = [s for s in seats if s.vacated_at is None]
    if step.actor == Actor.TPB and seated:
        return f"{step.actor_label}: " + ", ".join(s.user.display_name for s in seated)
    return step.actor_label


def turn_context(
    appeal: Appeal,
    user: User,
    seats: list[PanelSeat],
    bound: Shown | None,
    *,
    states: list[outputs.OutputState],
    open_step: Step | None,
) -> dict:
    """The forms this user may use now (none if it is not their turn). A record-first step
    whose facts are recorded offers its completion, and its form again (to change the record
    while none of its letters is issued); an action whose outputs are missing is shown but
    cannot be sent yet (`blocked`)."""
    if not appeal.is_open:
        return {"shown": [], "declare": None, "document": None, "declare_first": False}
    step = sop.step(appeal.open_step_number)
    my_turn = access.plays(user, appeal, step.actor)
    seat = next((s for s in seats if s.user_id == user.pk and s.vacated_at is None), None)
    needs_declaration = seat is not None and seat.declared_at is None
    shown, revise, complete = [], [], None
    # A panel member acts only after the declaration: until then the forms would be refused.
    declare_first = my_turn and step.actor == Actor.TPB and needs_declaration
    if my_turn and not declare_first:
        recorded = open_step is not None and open_step.is_recorded
        forms_ = [
            _form(a, appeal, user, bound)
            for a in actions.for_step(step.number)
            if recorded or not a.after_record
        ]
        if recorded:
            revise = forms_
            complete = _form(actions.COMPLETE, appeal, user, bound)
            complete.form.initial["number"] = step.number
        else:
            shown = forms_
    declare = _form(actions.DECLARE, appeal, user, bound) if needs_declaration else None
    document = None
    if (my_turn and not declare_first) or has_role(user, Role.PJTK_STAFF):
        document = _form(actions.DOCUMENT, appeal, user, bound)
    missing = {s.output.key for s in states if not s.done and s.output.letter}
    blocked = {
        a.slug
        for a in actions.for_step(step.number)
        if a.outcome is not None and missing & {o.key for o in step.required(a.outcome) if o.letter}
    }
    return {
        "shown": shown,
        "revise": revise,
        "complete": complete,
        "complete_ready": bool(states) and all(s.done for s in states),
        "blocked": blocked,
        "declare": declare,
        "document": document,
        "my_turn": my_turn,
        "declare_first": declare_first,
    }


def detail_context(
    request: AuthedRequest, appeal: Appeal, *, bound: Shown | None = None, error: str = ""
) -> dict[str, Any]:
    """Everything the page shows, in a fixed number of queries whatever the appeal's history
    (tests/web/test_detail.py holds it to the budget of 12 with the session and the user):
    the seats, steps, documents, notes and timeline one query each; the persons involved
    and the technical team's members with the appeal row when the view loaded it so
    (appeal_for(..., for_page=True)); what several cards need (the seats, the steps
    reached, the documents of the invitations) passed on rather than read again."""
    user = request.user
    now = timezone.now()  # one instant for every deadline state on the page
    # Prefetched, so that access.plays (the current step's forms, the letters offered, the
    # invitations card) reads them rather than asking again for each card.
    prefetch_related_objects(
        [appeal],
        Prefetch("panel_seats", queryset=PanelSeat.objects.select_related("user")),
        # The step forms read them too (the head's form: the panel proposed at step 5).
        Prefetch(
            "steps",
            queryset=Step.objects.select_related("completed_by", "recorded_by", "taken_by"),
        ),
    )
    seats = list(appeal.panel_seats.all())
    steps = list(appeal.steps.all())
    documents = visibility.documents(appeal, user)
    context: dict[str, Any] = {
        "appeal": appeal,
        "current": sop.step(appeal.open_step_number) if appeal.is_open else None,
        "waiting_for": waiting_for(appeal, seats) if appeal.is_open else "",
        "timing": deadlines.appeal_timing(appeal, now=now),
        "progress": progress(appeal, steps, now),
        "events": fold(visibility.events(appeal, user)),
        "documents": documents,
        "seats": seats,
        "involved": selectors.involved_names(appeal),
        "notes": list(appeal.notes.select_related("author")) if is_internal(user) else [],
        "declaration": gettext(DECLARATION),
        "error": said(error),
        # Earlier closed appeals like this one, for the verifier, the panel, head and
        # auditor: loaded after the page from their own URL (their search costs as much as
        # the rest of the page).
        "similar_url": (
            reverse("appeals:similar", args=[appeal.public_id])
            if similar.may_see(user, appeal, seats)
            else ""
        ),
    }
    # The steps reached, from those loaded above: the "Surat" card (letters in one query)
    # and the invitations card (none before the panel's steps) read them.
    context["reached"] = {s.number for s in steps}
    context.update(letters_card(appeal, user, steps=steps))
    open_step = next((s for s in steps if s.completed_at is None), None)
    letters = context["letters"] if is_internal(user) else None
    states = (
        outputs.of_open_step(appeal, open_step, steps=steps, letters=letters, documents=documents)
        if letters is not None
        else []
    )
    context["outputs"] = states
    context["open_step"] = open_step
    context["recorded_label"] = (
        sop.step(open_step.number).outcome(open_step.recorded_outcome).label
        if open_step is not None and open_step.is_recorded
        else ""
    )
    context["offers"] = {k.kind.value for k in context["letter_offers"]}
    # The outputs card offers its letters itself: the "Surat" card offers only the others.
    context["output_kinds"] = {s.output.key for s in states}
    context.update(turn_context(appeal, user, seats, bound, states=states, open_step=open_step))
    # The panel's completeness (a vacancy banner; the head's replacement form), from the
    # seats above (one more query only while a replacement awaits its surat tugas).
    state = panel_state(appeal, seats) if seats and appeal.is_open else None
    context["panel_state"] = state
    context["replace"] = (
        _form(actions.REPLACE, appeal, user, bound)
        if state is not None and state.vacant and has_role(user, Role.HEAD)
        else None
    )
    context["team_exempt"] = (
        _form(actions.TEAM_EXEMPT, appeal, user, bound) if may_exempt(appeal, user, seats) else None
    )
    return context


def may_exempt(appeal: Appeal, user: User, seats: list[PanelSeat]) -> bool:
    """Whether the page offers the Ketua Tim PJTK the form recording why the appealed team's
    members are not involved (services.team_exempt checks it all again)."""
    return (
        appeal.is_open
        and appeal.appealed_team_id is not None
        and not appeal.team_exempt_reason
        and not seats
        and has_role(user, Role.PJTK_LEAD)
    )


@staff_required
@require_GET
def detail(request: AuthedRequest, public_id: Any) -> HttpResponse:
    appeal = appeal_or_404(request, public_id, for_page=True)
    return render(request, TEMPLATE, detail_context(request, appeal))
