"""Every action name the audit log records, in one naming scheme: `<object>.<verb>` (both
lower-case words joined by underscores), and for an SOP step `step.<number>.<outcome>` with
the outcome a key of the SOP definition (or `pending` while a record-first step waits for its
letters). `audit.log.record` refuses any other name, so the log's vocabulary is this file.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Action(StrEnum):
    ACCOUNT_EMAIL_VERIFIED = "account.email_verified"
    ACCOUNT_INVITE_RESENT = "account.invite_resent"
    ACCOUNT_INVITED = "account.invited"
    ACCOUNT_LANGUAGE_CHANGED = "account.language_changed"
    ACCOUNT_LOGGED_IN = "account.logged_in"
    ACCOUNT_LOGIN_FAILED = "account.login_failed"
    ACCOUNT_PASSWORD_RESET = "account.password_reset"
    ACCOUNT_PASSWORD_RESET_REQUESTED = "account.password_reset_requested"
    ACCOUNT_PASSWORD_SET = "account.password_set"
    ACCOUNT_REGISTERED = "account.registered"
    ACCOUNT_REGISTRATION_CONFIRMED = "account.registration_confirmed"
    ACCOUNT_REGISTRATION_REJECTED = "account.registration_rejected"
    ACCOUNT_SESSION_EXPIRED = "account.session_expired"
    ADMIN_RECORD_ADDED = "admin_record.added"
    ADMIN_RECORD_CHANGED = "admin_record.changed"
    ADMIN_RECORD_DELETED = "admin_record.deleted"
    API_TOKEN_CREATED = "api_token.created"
    API_TOKEN_REVOKED = "api_token.revoked"
    APPEAL_CLOSED_DUPLICATE = "appeal.closed_duplicate"
    APPEAL_REGISTERED = "appeal.registered"
    APPEAL_SUBMITTED = "appeal.submitted"
    APPEAL_WITHDRAWN = "appeal.withdrawn"
    AUDIT_LOG_EXPORTED = "audit_log.exported"
    CALENDAR_OVERRIDE_ADDED = "calendar.override_added"
    CALENDAR_OVERRIDE_REMOVED = "calendar.override_removed"
    CASE_EXPORTED = "case.exported"
    CORRECTIVE_ACTION_ADDED = "corrective_action.added"
    CORRECTIVE_ACTION_CHECKED = "corrective_action.checked"
    CORRECTIVE_ACTION_COMPLETED = "corrective_action.completed"
    CORRECTIVE_ACTION_DUE_SOON = "corrective_action.due_soon"
    CORRECTIVE_ACTION_OVERDUE = "corrective_action.overdue"
    DEADLINE_AT_RISK = "deadline.at_risk"
    # The escalation ladder's second rung: a step still open a set delay after its overdue
    # notice, escalated to the next one up (the Kepala Balai) by the sweep.
    DEADLINE_ESCALATED = "deadline.escalated"
    DEADLINE_MOVED = "deadline.moved"
    DEADLINE_OVERDUE = "deadline.overdue"
    DISPOSAL_APPROVED = "disposal.approved"
    DISPOSAL_PROPOSED = "disposal.proposed"
    DISPOSAL_REJECTED = "disposal.rejected"
    DOCUMENT_ADDED = "document.added"
    EMAIL_FAILED = "email.failed"
    EMAIL_RESEND = "email.resend"
    EMAIL_SENT = "email.sent"
    INVESTIGATION_CONTACT = "investigation.contact"
    INVESTIGATION_NOTE = "investigation.note"
    INVITATION_ANSWERED = "invitation.answered"
    INVITATION_SENT = "invitation.sent"
    INVOLVEMENT_EXEMPTED = "involvement.exempted"
    LETTER_AMENDMENT_AUTHORISED = "letter.amendment_authorised"
    LETTER_CORRECTION_DRAFTED = "letter.correction_drafted"
    LETTER_DISCARDED = "letter.discarded"
    LETTER_DRAFTED = "letter.drafted"
    LETTER_ISSUED = "letter.issued"
    LETTER_UPDATED = "letter.updated"
    LETTER_WITHDRAWN = "letter.withdrawn"
    MONITORING_FINALISED = "monitoring.finalised"
    MONITORING_SAVED = "monitoring.saved"
    NOTIFICATION_READ = "notification.read"
    NOTIFICATION_READ_ALL = "notification.read_all"
    PANEL_CONFLICT_DECLARED = "panel.conflict_declared"
    PANEL_DECLARED = "panel.declared"
    PANEL_DISSENTED = "panel.dissented"
    RECORD_APPRAISED = "record.appraised"
    RECORD_DESTROYED = "record.destroyed"
    PANEL_REPLACED = "panel.replaced"
    REGISTER_EXPORTED = "register.exported"
    RETENTION_TRANSFERRED = "retention.transferred"
    REVIEW_LIST_EXPORTED = "review_list.exported"
    STEP_RELEASED = "step.released"
    STEP_TAKEN = "step.taken"
    SURVEY_ANSWERED = "survey.answered"

    @classmethod
    def investigation(cls, kind: str) -> Action:
        """The event of an investigation note of `kind` (appeals.models.NoteKind)."""
        return cls(f"investigation.{kind}")


PENDING = "pending"
WORD = r"[a-z][a-z_]*"
NAME = re.compile(rf"{WORD}\.{WORD}")
STEP = re.compile(rf"step\.(\d+)\.({WORD})")


def step_action(number: int, outcome: str) -> str:
    """The event of step `number` completed with `outcome` (or recorded: PENDING)."""
    action = f"step.{number}.{outcome}"
    if not STEP.fullmatch(action):
        raise ValueError(f"Not a step outcome: {outcome!r}")
    return action


def known(action: str) -> bool:
    """Whether `action` is a name the log may record: a member, or a step's event."""
    return action in Action._value2member_map_ or STEP.fullmatch(action) is not None
