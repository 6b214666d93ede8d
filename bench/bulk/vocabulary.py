"""The words and values the generated rows share with the product: its choices and labels
as plain strings (an enum member's .value is a lookup on every use, and the generator uses them
millions of times), the canonical JSON of the audit chain, and data that never changes."""

from __future__ import annotations

import json
from itertools import accumulate
from json.encoder import c_make_encoder, encode_basestring

from banding.appeals.models import Channel, Decision, DocumentKind, ServiceType
from banding.notifications.models import Kind
from banding.sop import definition as sop
from banding.sop.definition import Actor
from bench.bulk import texts

# The audit chain's canonical JSON (banding.audit.chain.event_hash); built once, not per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
if c_make_encoder is not None:
    # JSONEncoder.encode's own C encoder, made once instead of on every call (half the time
    # of the few thousand encodings per hundred appeals).
    _encode = c_make_encoder(
        None, _CANONICAL.default, encode_basestring, None, ":", ",", True, False, True
    )

    def canonical(value) -> str:
        return "".join(_encode(value, 0))

else:  # pragma: no cover  (an interpreter without the C accelerator)
    canonical = _CANONICAL.encode
quoted = encode_basestring  # json.dumps(text, ensure_ascii=False) of a str

SERVICES = [s for s in ServiceType.values if s != ServiceType.PT_CALIBRATION]  # not appealable
SERVICE_WEIGHTS = list(accumulate([40, 25, 12, 8, 7, 8][: len(SERVICES)]))
STAFF_CHANNELS = tuple(c.value for c in (Channel.EMAIL,) * 3 + (Channel.COURIER, Channel.IN_PERSON))
DECISIONS = tuple(d.value for d in (Decision.ACCEPTED, Decision.PARTLY, Decision.DISMISSED))
SURVEY_SHARE = 0.4
NOTICE_READ_AFTER = 7 * 86400  # notices older than this are mostly read
TABLE_NAMES = (
    "appeal", "step", "event", "chain", "notification", "document", "note", "seat", "letter",
    "survey", "involved",
)  # fmt: skip

# Plain strings and lookups for the hot paths (an enum member's .value is a lookup each time).
STF, KTP, TEK, KAB, TPB = (a.value for a in (Actor.STF, Actor.KTP, Actor.TEK, Actor.KAB, Actor.TPB))
ASSIGNED, MILESTONE = Kind.STEP_ASSIGNED.value, Kind.MILESTONE.value
AT_RISK, OVERDUE = Kind.STEP_AT_RISK.value, Kind.STEP_OVERDUE.value
ESCALATION = Kind.ESCALATION.value
LETTER, SUPPORTING = DocumentKind.APPEAL_LETTER.value, DocumentKind.SUPPORTING.value
REPORT = DocumentKind.INVESTIGATION_REPORT.value
EVIDENCE = DocumentKind.INVESTIGATION_EVIDENCE.value
MINUTES_DOC = DocumentKind.MINUTES.value
STEPS = {s.number: (s.actor.value, s.title, s) for s in sop.STEPS}
MILESTONES = {(m.step, m.outcome): m for m in sop.milestones()}
DOC_LABELS = dict(DocumentKind.choices)
CHANNEL_LABELS = dict(Channel.choices)
DECISION_LABELS = dict(Decision.choices)
ACTION_JSON: dict[str, str] = {}
# The constant members of some steps' data, encoded once.
APPROVED = {
    "disposition": quoted(texts.DISPOSITION),
    "to": canonical(["Ketua Tim PJTK", "Bagian/Tim Teknis"]),
}
DISPOSITIONED = {"note": quoted(texts.DISPOSITION_NOTE)}
REPORT_SUMMARY = quoted(texts.REPORT_SUMMARY)
RELEVANT_REASONS = quoted(texts.RELEVANT)
PROPOSAL_NOTE = quoted(texts.PROPOSAL_NOTE)
CHECKLIST_CONFIRMED = canonical(dict.fromkeys(sop.step(3).checklist, True))
# What a recorded step waits for (services._settle's pending summary), by (step, outcome).
WANTED = {
    (s.number, o.key.value): ", ".join(r.label for r in s.required(o.key))
    for s in sop.STEPS
    for o in s.outcomes
}
# The outputs completing a step requires, in the definition's order, by (step, outcome).
REQUIRED = {
    (s.number, o.key.value): tuple(r.key for r in s.required(o.key))
    for s in sop.STEPS
    for o in s.outcomes
}


def obj(members: dict[str, str]) -> str:
    """A JSON object from its members' JSON texts: canonical() of the object, its keys
    sorted, the values already canonical."""
    return "{" + ",".join([f'"{key}":{members[key]}' for key in sorted(members)]) + "}"


def action_json(action: str) -> str:
    text = ACTION_JSON.get(action)
    if text is None:
        text = ACTION_JSON[action] = json.dumps(action)
    return text
