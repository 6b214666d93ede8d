"""What the API accepts. Required here is only what the service cannot do without (types
and dates); what a field must contain is checked by the service, which says so in its own
words. Naive date-times are read as Asia/Jakarta (the settings' TIME_ZONE)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
# A form's empty choice ("") means none chosen, as in an HTML <select>.
OptionalUUID = Annotated[UUID | None, BeforeValidator(lambda value: value or None)]


class IntakeIn(Schema):
    """Steps 1-2 (multipart form): the letter and attachments come as files."""

    organization: OptionalUUID = None
    new_organization_name: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    channel: str = ""
    received_at: AwareDatetime
    complaint_reference: str = ""
    complaint_outcome_date: date
    service_type: str = ""
    reference_document: str = ""
    grounds: str = ""
    remedy_sought: str = ""
    involved_persons: list[UUID] = []
    involved_note: str = ""


class SubmitIn(Schema):
    """Step 1 online, by a customer (multipart form): the letter and attachments come as
    files; the organisation is the caller's, the contact e-mail the caller's account."""

    complaint_reference: str = ""
    complaint_outcome_date: date
    service_type: str = ""
    reference_document: str = ""
    grounds: str = ""
    remedy_sought: str = ""
    contact_name: str = ""
    contact_phone: str = ""


class RecordIn(Schema):
    """Step 2 of an appeal submitted online: the institute's people involved in the original
    activity, by user id (public UUID)."""

    involved_persons: list[UUID] = []
    involved_note: str = ""


class VerifyIn(Schema):
    """Step 3. `checklist` maps each item of the SOP's checklist (GET /sop) to true/false;
    `technical_team` is a team code, required when relevant."""

    checklist: dict[str, bool] = {}
    relevant: bool
    reasons: str = ""
    technical_team: str | None = None


class RejectIn(Schema):
    reasons: str = ""
    delivered_at: AwareDatetime
    channel: str = ""


class PanelIn(Schema):
    """Steps 5-6: members and chair by user id (public UUID)."""

    members: list[UUID] = []
    chair: OptionalUUID = None


class ProposeIn(PanelIn):
    note: str = ""


class NoteIn(Schema):
    kind: str = "note"
    text: str = ""
    occurred_at: AwareDatetime | None = None


class ReportIn(Schema):
    summary: str = ""


class AttendeeIn(Schema):
    name: str = ""
    role: str = ""
    present: bool = False


class DecideIn(Schema):
    meeting_at: AwareDatetime
    place: str = ""
    attendance: list[AttendeeIn] = []
    minutes: str = ""
    decision: str = ""
    remedy: str = ""


class ApproveIn(Schema):
    disposition: str = ""


class ReturnIn(Schema):
    reasons: str = ""


class DispositionIn(Schema):
    note: str = ""


class CloseIn(Schema):
    delivered_at: AwareDatetime
    channel: str = ""
    cabinet: str = ""
    box: str = ""
    folder: str = ""


class DocumentIn(Schema):
    kind: str = "supporting"


class TokenIn(Schema):
    name: str = ""
