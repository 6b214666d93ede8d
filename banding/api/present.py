"""Models to API payloads. Labels come from the model choices and the SOP definition; what a
customer may not see is left out as banding.letters.visibility decides."""

from datetime import UTC
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from banding.accounts.models import ApiToken, CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import Role, roles_of
from banding.appeals import access, deadlines, progress, relations, selectors
from banding.appeals.models import Appeal, Document, Note, Step
from banding.audit.models import Event
from banding.formats import summary
from banding.letters import outputs, visibility
from banding.letters.outcome import outcome_of
from banding.sop import definition as sop


def user_ref(user: User | None) -> dict | None:
    return {"id": user.public_id, "name": user.display_name} if user else None


def organization_ref(org: CustomerOrganization | None) -> dict | None:
    return {"id": org.public_id, "name": org.name} if org else None


def team_ref(team: TechnicalTeam | None) -> dict | None:
    return {"code": team.code, "name": team.name} if team else None


def step_ref(number: int | None) -> dict | None:
    return step_fields(number) if number is not None else None


def step_fields(number: int) -> dict[str, Any]:
    s = sop.step(number)
    return {
        "number": s.number,
        "title": s.title,
        "actor": s.actor.value,
        "actor_label": s.actor_label,
    }


def _deadline_fields(state: deadlines.DeadlineState | None) -> dict:
    return {
        "deadline_state": state.value if state else None,
        "deadline_state_label": state.label if state else "",
    }


def appeal_summary(appeal: Appeal) -> dict:
    """One list row: only the appeal row and its select_related organisation and team."""
    return {
        "id": appeal.public_id,
        "number": appeal.number,
        "organization": organization_ref(appeal.organization),
        "contact_name": appeal.contact_name,
        "channel": appeal.channel,
        "channel_label": appeal.get_channel_display(),
        "received_at": appeal.received_at,
        "service_type": appeal.service_type,
        "service_type_label": appeal.get_service_type_display(),
        "status": appeal.status,
        "status_label": appeal.get_status_display(),
        "current_step": step_ref(appeal.current_step),
        "current_since": appeal.current_since,
        "current_due_at": appeal.current_due_at if appeal.is_open else None,
        **_deadline_fields(
            deadlines.state_of(appeal.current_due_at, appeal.current_at_risk_at)
            if appeal.is_open
            else None
        ),
        "technical_team": team_ref(appeal.technical_team),
        "created_at": appeal.created_at,
        "closed_at": appeal.closed_at,
        **_stage_fields(appeal),
    }


def inbox_item(appeal: Appeal) -> dict:
    """A row of Tugas saya (selectors.inbox, whose annotations name the taker): no query."""
    taker = getattr(appeal, selectors.TAKER_ID)
    return {
        **appeal_summary(appeal),
        "complaint_reference": appeal.complaint_reference,
        "grounds_summary": summary(getattr(appeal, selectors.GROUNDS_HEAD) or ""),
        "taken_by": {"id": taker, "name": getattr(appeal, selectors.TAKER)} if taker else None,
        "taken_at": getattr(appeal, selectors.TAKEN_AT),
    }


def _stage_fields(appeal: Appeal) -> dict:
    """Where the appeal stands in the customer's words (from its own columns: no query)."""
    stage = progress.stage_of(appeal)
    waiting = progress.next_stage(appeal)
    expected = progress.next_milestone_expected_at(appeal)
    return {
        "stage": stage.value,
        "stage_label": stage.label,
        "next_stage": waiting.value if waiting else None,
        "next_stage_label": waiting.label if waiting else "",
        # In UTC like every instant read from the database, so a payload has one offset.
        "next_milestone_expected_at": expected.astimezone(UTC) if expected else None,
    }


# What the detail shows besides the appeal's own row (organisation and team: select_related).
DETAIL_RELATIONS = ("steps", "panel_seats", "involved_persons", "notes")


def detail_prefetched(appeal: Appeal) -> Appeal:
    """The appeal with everything its detail shows, in a fixed number of queries: read again,
    unless the caller already holds all of it (a new appeal, banding.appeals.relations)."""
    if relations.remembered(appeal, DETAIL_RELATIONS):
        return appeal
    return (
        Appeal.objects.select_related("organization", "technical_team")
        .prefetch_related(
            Prefetch("steps", queryset=Step.objects.select_related("completed_by", "recorded_by")),
            "panel_seats__user",
            "involved_persons",
            Prefetch("notes", queryset=Note.objects.select_related("author")),
        )
        .get(pk=appeal.pk)
    )


def _outcome_label(step: Step) -> str:
    if not step.outcome:
        return ""
    try:
        return sop.step(step.number).outcome(step.outcome).label
    except KeyError:
        return step.outcome


def appeal_detail(appeal: Appeal, user: User) -> dict:
    appeal = detail_prefetched(appeal)
    # A customer sees the panel's decision only once it is delivered to them (the appeal is
    # closed, step 12), and never the staff named in the original complaint nor the panel's
    # working notes (banding.letters.visibility).
    internal = visibility.working_detail(user)
    ended = outcome_of(appeal)
    show_decision = visibility.decision_shown(appeal, user, ended)
    current = sop.step(appeal.current_step) if appeal.current_step else None
    # The path ahead if each decision goes its usual way (relevant, approved).
    remaining = sop.path_from(appeal.current_step)[1:] if appeal.current_step else []
    archived = appeal.archive_cabinet or appeal.archive_box or appeal.archive_folder
    timing = deadlines.appeal_timing(appeal)
    seats = {seat.pk: seat for seat in appeal.panel_seats.all()}
    return {
        **appeal_summary(appeal),
        **_deadline_fields(timing.state),
        # In UTC like every instant read from the database, so a payload has one offset.
        "expected_completion": timing.expected_completion.astimezone(UTC)
        if timing.expected_completion
        else None,
        "working_minutes_so_far": timing.working_minutes,
        "contact_email": appeal.contact_email,
        "contact_phone": appeal.contact_phone,
        "complaint_reference": appeal.complaint_reference,
        "complaint_outcome_date": appeal.complaint_outcome_date,
        "reference_document": appeal.reference_document,
        "grounds": appeal.grounds,
        "remedy_sought": appeal.remedy_sought,
        "involved_persons": [user_ref(u) for u in appeal.involved_persons.all()]
        if internal
        else [],
        "involved_note": appeal.involved_note if internal else "",
        "no_involved_reason": appeal.no_involved_reason if internal else "",
        "appealed_team": (appeal.appealed_team.code if internal and appeal.appealed_team else None),
        "team_exempt_reason": appeal.team_exempt_reason if internal else "",
        "relevant": appeal.relevant,
        "relevance_reasons": appeal.relevance_reasons,
        "decision": {
            "decision": appeal.decision,
            "label": appeal.get_decision_display(),
            "remedy": appeal.decision_remedy,
            "approved_at": appeal.decision_approved_at,
        }
        if show_decision
        else None,
        "delivered_at": appeal.delivered_at,
        "delivery_channel": appeal.delivery_channel,
        "archive": {
            "cabinet": appeal.archive_cabinet,
            "box": appeal.archive_box,
            "folder": appeal.archive_folder,
        }
        if archived
        else None,
        "panel": [
            {
                "user": user_ref(seat.user),
                "role": seat.role,
                "role_label": seat.get_role_display(),
                "appointed_at": seat.appointed_at,
                "declared_at": seat.declared_at,
                "conflict": seat.conflict,
                # Why a member stood down is the institute's, not the customer's, to read.
                "conflict_description": seat.conflict_description if internal else "",
                "vacated_at": seat.vacated_at,
                "replaces": user_ref(seats[seat.replaces_id].user) if seat.replaces_id else None,
            }
            for seat in seats.values()
        ],
        "steps": [
            {
                **step_fields(step.number),
                "started_at": step.started_at,
                "completed_at": step.completed_at,
                "completed_by": user_ref(step.completed_by),
                "outcome": step.outcome,
                "outcome_label": _outcome_label(step),
                "due_at": step.due_at,
                "working_minutes": step.working_minutes,
                "within_standard": step.within_standard,
            }
            for step in appeal.steps.all()
        ],
        "remaining_steps": [step_ref(n) for n in remaining],
        "notes": [
            {
                "kind": note.kind,
                "kind_label": note.get_kind_display(),
                "text": note.text,
                "occurred_at": note.occurred_at,
                "author": user_ref(note.author),
            }
            for note in appeal.notes.all()
        ]
        if internal
        else [],
        "your_turn": current is not None and access.plays(user, appeal, current.actor),
        "current_record": _record(appeal) if internal else None,
        "current_outputs": _outputs(appeal) if internal else [],
        "outcome": {
            "sentence": ended.sentence,
            "reasons": ended.reasons,
            "remedy": ended.remedy,
            "next": ended.next,
            "letters": [x.public_id for x in ended.letters],
            "delivered_at": ended.delivered_at,
        }
        if ended
        else None,
    }


def _open_step(appeal: Appeal) -> Step | None:
    return next((s for s in appeal.steps.all() if s.completed_at is None), None)


def _record(appeal: Appeal) -> dict | None:
    step = _open_step(appeal)
    if step is None or not step.is_recorded:
        return None
    return {
        "outcome": step.recorded_outcome,
        "outcome_label": sop.step(step.number).outcome(step.recorded_outcome).label,
        "data": step.recorded_data,
        "recorded_at": step.recorded_at,
        "recorded_by": user_ref(step.recorded_by),
    }


def _outputs(appeal: Appeal) -> list[dict]:
    found = outputs.of_open_step(appeal, _open_step(appeal), steps=list(appeal.steps.all()))
    return [
        {
            "kind": o.output.key,
            "label": o.label,
            "letter": o.output.letter,
            "state": o.state,
            "letter_id": o.letter.public_id if o.letter else None,
            "number": o.letter.number if o.letter else "",
        }
        for o in found
    ]


def event_out(event: Event) -> dict:
    return {
        "at": event.created_at,
        "action": event.action,
        "step": event.step,
        "summary": event.summary,
        "actor": user_ref(event.actor),
    }


def document_out(doc: Document, appeal: Appeal) -> dict:
    return {
        "id": doc.public_id,
        "kind": doc.kind,
        "kind_label": doc.get_kind_display(),
        "step": doc.step,
        "name": doc.original_name,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "uploaded_by": user_ref(doc.uploaded_by),
        "uploaded_at": doc.uploaded_at,
        "download_url": reverse(
            "api:document_file",
            kwargs={"public_id": appeal.public_id, "doc_id": doc.public_id},
        ),
    }


def token_out(token: ApiToken) -> dict:
    return {
        "id": token.public_id,
        "name": token.name,
        "hint": token.hint,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


def me_out(user: User) -> dict:
    return {
        "id": user.public_id,
        "username": user.get_username(),
        "name": user.display_name,
        "email": user.email,
        "roles": [{"code": r, "label": str(Role(r).label)} for r in sorted(roles_of(user))],
        "organization": organization_ref(user.organization),
        "technical_teams": [team_ref(t) for t in user.technical_teams.all()],
    }
