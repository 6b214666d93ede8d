"""The readable records of an appeal's evidence pack: one PDF per record an assessor asks for
(receipt, verification, panel and its declarations, invitations, meeting, decision and
delivery, corrective actions, survey, what the customer was sent), the timeline, and the
chain of audit events as JSON with its verification. Each PDF is a small template under
templates/archive/records/ rendered with WeasyPrint, like the letters."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from banding.appeals.models import Appeal, Channel, Decision, Step
from banding.archive.hooks import Sent, correspondence
from banding.audit.actions import Action
from banding.audit.chain import EMPTY, Head, walk
from banding.audit.models import ChainHead, Event
from banding.corrective.models import CorrectiveAction
from banding.sop import definition as sop
from banding.survey.elements import ELEMENTS
from banding.survey.models import SurveyResponse

# The panel's own events: declarations (either answer) and replacements of vacated seats.
PANEL_EVENTS = (Action.PANEL_DECLARED, Action.PANEL_CONFLICT_DECLARED, Action.PANEL_REPLACED)

TIMELINE = "timeline.pdf"
CHAIN = "rantai-peristiwa.json"
RECORDS = "rekaman"


@dataclass(frozen=True)
class CaseFile:
    """One file of the pack: its name in the ZIP, its content (bytes, or a stored file), and
    for a stored file the SHA-256 recorded when it was uploaded or issued."""

    arcname: str
    source: bytes | FieldFile
    recorded_sha256: str = ""


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a pack is built

    return HTML(string=render_to_string(template, context)).write_pdf()


def record_files(appeal: Appeal, events: list[Event]) -> Iterator[CaseFile]:
    """The readable records, those the appeal has reached (a rejected appeal has no panel)."""
    steps: dict[int, list[Step]] = defaultdict(list)
    for step in appeal.steps.select_related("completed_by").order_by("started_at", "id"):
        steps[step.number].append(step)
    base = {"appeal": appeal, "generated_at": timezone.now()}

    def record(name: str, template: str, **context: Any) -> CaseFile:
        pdf = render_pdf(f"archive/records/{template}.html", {**base, **context})
        return CaseFile(f"{RECORDS}/{name}.pdf", pdf)

    yield record(
        "01-penerimaan",
        "penerimaan",
        involved=list(appeal.involved_persons.all()),
        steps=steps[1] + steps[2],
    )
    if steps[3]:
        yield record("03-verifikasi-relevansi", "verifikasi", steps=_occurrences(steps[3]))
    if steps[5] or steps[6]:
        declared = [e for e in events if e.action in PANEL_EVENTS]
        yield record(
            "05-06-panel-dan-pernyataan",
            "panel",
            proposals=_occurrences(steps[5]),
            appointments=_occurrences(steps[6]),
            seats=list(appeal.panel_seats.select_related("user", "replaces__user").order_by("pk")),
            declared=declared,
        )
    invitations = list(
        appeal.invitations.select_related("invited_by", "responded_by").order_by("invited_at")
    )
    if invitations:
        yield record("07-undangan-dan-jawaban", "undangan", invitations=invitations)
    if steps[9]:
        yield record("09-rapat-panel", "rapat", steps=_occurrences(steps[9]))
    if steps[10] or steps[11] or steps[12] or steps[4]:
        yield record(
            "10-12-keputusan-dan-penyampaian",
            "keputusan",
            approvals=_occurrences(steps[10]),
            dispositions=_occurrences(steps[11]),
            deliveries=_occurrences(steps[4] + steps[12]),
        )
    actions = list(
        CorrectiveAction.objects.filter(appeal=appeal)
        .select_related("owner", "created_by", "checked_by", "follows")
        .order_by("created_at", "id")
    )
    if actions:
        yield record("12-tindakan-perbaikan", "tindakan_perbaikan", actions=actions)
    response = SurveyResponse.objects.filter(appeal=appeal).select_related("respondent").first()
    if response is not None:
        scores = response.scores()
        answers = [(e, scores[e.code], dict(e.choices)[scores[e.code]]) for e in ELEMENTS]
        yield record("13-survei-kepuasan", "survei", response=response, answers=answers)
    sent: list[Sent] = []
    correspondence(appeal=appeal, into=sent)
    yield record("14-pemberitahuan-dan-surel", "korespondensi", sent=sent)


def _occurrences(steps: list[Step]) -> list[dict[str, Any]]:
    """Each occurrence of a step with its data made readable: dates parsed, choices named."""
    return [{"step": step, "data": _readable(step.data or {})} for step in steps]


def _readable(data: dict[str, Any]) -> dict[str, Any]:
    readable = dict(data)
    for key in ("meeting_at", "delivered_at"):
        if isinstance(data.get(key), str):
            readable[key] = parse_datetime(data[key])
    if data.get("channel") in Channel.values:
        readable["channel"] = Channel(data["channel"]).label
    if "checklist" in data:
        readable["checklist_items"] = checklist_items(data)
    if data.get("decision") in Decision.values:
        readable["decision"] = Decision(data["decision"]).label
    return readable


def timeline_pdf(appeal: Appeal, events: list[Event]) -> bytes:
    return render_pdf(
        "archive/timeline.html",
        {
            "appeal": appeal,
            "steps": appeal.steps.select_related("completed_by").order_by("started_at", "id"),
            "events": events,
            "generated_at": timezone.now(),
        },
    )


def chain_head(appeal: Appeal) -> Head:
    head = ChainHead.objects.filter(chain=appeal.pk).first()
    return EMPTY if head is None else Head(head.last_hash, head.last_event_id, head.count)


def chain_json(appeal: Appeal, events: list[Event]) -> bytes:
    """The appeal's events with their hashes, the chain's head, and the chain checked at
    export: checkable again from the pack alone (banding.archive.verify)."""
    head = chain_head(appeal)
    verdict = walk(events, head)
    body = {
        "appeal": appeal.number,
        "appeal_id": appeal.pk,
        "hash": (
            "HMAC-SHA256 dengan kunci key_id (kunci di luar database, docs/archive.md) atas "
            "JSON kanonik (kunci urut, tanpa spasi, UTF-8) dari appeal, actor, action, step, "
            "summary, data, public, created_at (ISO UTC), key (key_id) dan prev (hash "
            "peristiwa sebelumnya; kosong untuk yang pertama); peristiwa tanpa key_id (sebelum "
            "kunci dipakai): SHA-256 atas JSON yang sama tanpa key"
        ),
        "head": {
            "last_hash": head.last_hash,
            "last_event_id": head.last_event_id,
            "count": head.count,
        },
        "verification": {
            "ok": verdict.ok,
            "count": verdict.count,
            "broken": verdict.broken.describe() if verdict.broken else "",
            "checked_at": timezone.now().astimezone(UTC).isoformat(),
        },
        "events": [
            {
                "id": e.pk,
                "appeal": e.appeal_id,
                "actor": e.actor_id,
                "actor_name": e.actor.display_name if e.actor else "",
                "action": e.action,
                "step": e.step,
                "summary": e.summary,
                "data": e.data,
                "public": e.public,
                "created_at": e.created_at.astimezone(UTC).isoformat(),
                "prev_hash": e.prev_hash,
                "hash": e.hash,
                "key_id": e.key_id,
            }
            for e in events
        ],
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def checklist_items(data: dict[str, Any]) -> list[tuple[str, bool]]:
    """Step 3's checklist in the SOP's order, then anything else recorded."""
    recorded = data.get("checklist") or {}
    order = [item for item in sop.step(3).checklist if item in recorded]
    order += [item for item in recorded if item not in order]
    return [(item, bool(recorded[item])) for item in order]
