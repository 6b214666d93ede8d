"""One service per SOP action: the only code that changes an appeal.

Each is keyword-only and atomic: it locks the appeal, checks role and state against the SOP
definition (banding.appeals.access), writes the change and its audit event in the same
transaction. The web views, the API and the commands call these and nothing else.

One module per phase of the SOP; what the phases share (locking, completing a step with its
event, storing uploads) is in `shared`, and the steps whose letters are made from their own
record complete through `recorded`. What an action triggers above the domain (the letters'
gate and reconciliation, the notifications) goes through banding.appeals.hooks.
"""

from banding.appeals.services.claims import step_release, step_take
from banding.appeals.services.closing import appeal_close, decision_disposition
from banding.appeals.services.decision import (
    decision_approve,
    decision_return,
    panel_decide,
    panel_dissent,
)
from banding.appeals.services.documents import document_add
from banding.appeals.services.duplicates import DuplicateSuspected
from banding.appeals.services.ending import (
    appeal_close_duplicate,
    appeal_withdraw,
    may_end,
    original_named,
    withdrawal_record,
)
from banding.appeals.services.intake import (
    INTAKE_BATCH_MAX,
    NOT_CONFIRMED,
    Intake,
    IntakeFields,
    appeal_record,
    appeal_register,
    appeal_submit,
    appeals_register,
    require_registrar,
)
from banding.appeals.services.investigation import investigation_note, investigation_report
from banding.appeals.services.involvement import team_exempt
from banding.appeals.services.meeting import required as quorum_required
from banding.appeals.services.panel import panel_appoint, panel_proposal, panel_propose
from banding.appeals.services.recorded import recorded_step, step_complete
from banding.appeals.services.seats import panel_declare, panel_replace
from banding.appeals.services.shared import INTAKE_CHANNELS
from banding.appeals.services.verification import appeal_reject, appeal_verify

__all__ = [
    "INTAKE_BATCH_MAX",
    "INTAKE_CHANNELS",
    "NOT_CONFIRMED",
    "DuplicateSuspected",
    "Intake",
    "IntakeFields",
    "appeal_close",
    "appeal_close_duplicate",
    "appeal_record",
    "appeal_register",
    "appeal_reject",
    "appeal_submit",
    "appeal_verify",
    "appeal_withdraw",
    "appeals_register",
    "decision_approve",
    "decision_disposition",
    "decision_return",
    "document_add",
    "investigation_note",
    "investigation_report",
    "may_end",
    "original_named",
    "panel_appoint",
    "panel_decide",
    "panel_declare",
    "panel_dissent",
    "panel_proposal",
    "panel_propose",
    "panel_replace",
    "quorum_required",
    "recorded_step",
    "require_registrar",
    "step_complete",
    "step_release",
    "step_take",
    "team_exempt",
    "withdrawal_record",
]
