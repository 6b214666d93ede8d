"""What the API accepts. Required here is only what the service cannot do without (types
and dates); what a field must contain is checked by the service, which says so in its own
words. Naive date-times are read as Asia/Jakarta (the settings' TIME_ZONE)."""

import json
import re
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import AfterValidator, BeforeValidator, TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from banding import inputs
from banding.errors import Invalid

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _written(pattern: re.Pattern, kind: str) -> Any:
    """Only the ISO form is read: pydantic would take `0` or `1700000000` as a Unix time."""

    def check(value: Any) -> Any:
        if isinstance(value, (str, bytes)):
            text = value.decode(errors="replace") if isinstance(value, bytes) else value
            if not pattern.match(text):
                raise PydanticCustomError(kind, "not an ISO date")
        elif not isinstance(value, (date, datetime)):
            raise PydanticCustomError(kind, "not an ISO date")
        return value

    return BeforeValidator(check)


def _plausible[D: (date, datetime)](value: D) -> D:
    # One range for every date of the API and the forms (banding.inputs).
    if not inputs.date_in_range(value):
        raise PydanticCustomError("date_out_of_range", "date out of range")
    return value


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# A date or a date-time the API accepts: written in ISO 8601, within the plausible range
# (2000-01-01 to five years ahead); a naive date-time is WIB.
Day = Annotated[date, _written(_ISO_DATE, "date_parsing"), AfterValidator(_plausible)]
AwareDatetime = Annotated[
    datetime,
    _written(_ISO_DATETIME, "datetime_parsing"),
    AfterValidator(_aware),
    AfterValidator(_plausible),
]
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
    complaint_outcome_date: Day
    service_type: str = ""
    reference_document: str = ""
    grounds: str = ""
    remedy_sought: str = ""
    involved_persons: list[UUID] = []
    involved_note: str = ""
    no_involved_reason: str = ""
    appealed_team: str | None = None
    # An open appeal of the organisation with the same complaint reference: 409
    # duplicate_suspected (with the matching appeals) unless this confirms a new appeal.
    confirm_new: bool = False


class SubmitIn(Schema):
    """Step 1 online, by a customer (multipart form): the letter and attachments come as
    files; the organisation is the caller's, the contact e-mail the caller's account."""

    complaint_reference: str = ""
    complaint_outcome_date: Day
    service_type: str = ""
    reference_document: str = ""
    grounds: str = ""
    remedy_sought: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    confirm_new: bool = False  # as IntakeIn's


class RecordIn(Schema):
    """Step 2 of an appeal submitted online: who was involved in the original activity, a
    required answer: the institute's people by user id (public UUID), outsiders by name
    (`involved_note`), the technical team whose work is appealed (its code), or
    `no_involved_reason` saying why nobody was."""

    involved_persons: list[UUID] = []
    involved_note: str = ""
    no_involved_reason: str = ""
    appealed_team: str | None = None


class TeamExemptIn(Schema):
    """Why the members of the appealed technical team are not involved (Ketua Tim PJTK)."""

    reason: str = ""


class VerifyIn(Schema):
    """Step 3. `checklist` maps each item of the SOP's checklist (GET /sop) to true/false;
    `technical_team` is a team code, required when relevant."""

    checklist: dict[str, bool] = {}
    relevant: bool
    reasons: str = ""
    technical_team: str | None = None
    similar_considered: list[UUID] = []
    similar_confirmed: bool = False


class RejectIn(Schema):
    """Step 4: the delivery of the rejection letter, which states the reasons recorded at
    step 3 (issue it first: POST .../letters, then .../issue)."""

    delivered_at: AwareDatetime
    channel: str = ""


class PanelIn(Schema):
    """Steps 5-6: members and chair by user id (public UUID)."""

    members: list[UUID] = []
    chair: OptionalUUID = None


class DeclareIn(Schema):
    """The declaration: `conflict` false ("tidak ada konflik", the default) or true ("ada
    konflik") with its `description`, which vacates the seat."""

    conflict: bool = False
    description: str = ""


class ReplaceIn(Schema):
    """The head's replacement of a seat vacated by a declared conflict: the member whose seat
    was vacated, the replacement, and the chair when it changes (required when the chair's
    seat was vacated); user ids (public UUIDs)."""

    vacated: UUID
    member: UUID
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
    """A seat of the panel (its member's user id) and whether its member was present."""

    member: UUID
    present: bool = False


class GuestIn(Schema):
    """Someone present without a seat (a secretary, an expert): not counted for quorum."""

    name: str = ""
    role: str = ""


class DissentIn(Schema):
    """A present member's dissenting opinion."""

    member: UUID
    opinion: str = ""


class DecideIn(Schema):
    """Step 9. `attendance` per seat of the panel (a seat not named was absent); quorum:
    the chair present and BANDING_PANEL_QUORUM seats (default a majority). The similar
    earlier appeals considered (ids from GET .../similar) and, while any is listed, the
    confirmation `similar_confirmed`."""

    meeting_at: AwareDatetime
    place: str = ""
    attendance: list[AttendeeIn] = []
    guests: list[GuestIn] = []
    minutes: str = ""
    decision: str = ""
    reasons: str = ""
    remedy: str = ""
    dissent: list[DissentIn] = []
    similar_considered: list[UUID] = []
    similar_confirmed: bool = False


class DissentAddIn(Schema):
    opinion: str = ""


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


class WithdrawIn(Schema):
    """A withdrawal: by the customer (its token), or recorded by the staff from the
    customer's letter (`letter_date` required then)."""

    reason: str = ""
    letter_date: Day | None = None


class CloseDuplicateIn(Schema):
    """The original appeal by its public id or register number, and the reason."""

    original: str = ""
    reason: str = ""


class DocumentIn(Schema):
    kind: str = "supporting"


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="Nama token, mis. nama klien.")


class BatchIntakeItem(IntakeIn):
    """One appeal of a batch intake: IntakeIn's fields, and the names of the multipart parts
    that carry its letter and attachments."""

    letter: str = ""
    attachments: list[str] = []


_BATCH = TypeAdapter(list[BatchIntakeItem])
# A batch intake is a multipart form: `appeals`, a JSON list of BatchIntakeItem, and the file
# parts it names. The view reads it itself (batch_items, batch_files); this is what the
# OpenAPI document says of it.
BATCH_REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["appeals"],
                "properties": {
                    "appeals": {
                        "type": "string",
                        "description": (
                            "Daftar JSON 1-50 banding; `letter` dan `attachments` tiap banding "
                            "menyebut nama bagian berkas dalam permintaan ini."
                        ),
                        "contentMediaType": "application/json",
                        "contentSchema": _BATCH.json_schema(),
                    }
                },
                "additionalProperties": {
                    "type": "string",
                    "format": "binary",
                    "description": "Berkas yang disebut oleh `letter` atau `attachments`.",
                },
            }
        }
    },
}


def batch_items(text: str) -> list[BatchIntakeItem]:
    """The `appeals` field read; a fault is named by its place, as `appeals.<i>.<field>`.
    Its texts are checked as every request's are (banding.api.checks): the JSON inside the
    form field is only decoded here."""
    try:
        decoded = json.loads(text or "null")
    except (ValueError, RecursionError):
        decoded = None  # pydantic says what is wrong with it
    places = list(inputs.control_character_places(decoded, "appeals"))
    if places:
        raise ValidationError(
            [
                {"type": "control_characters", "loc": ("form", *p.split(".")), "msg": ""}
                for p in places
            ]
        )
    try:
        return _BATCH.validate_json(text or "null")
    except PydanticValidationError as error:
        raise ValidationError(
            [{**e, "loc": ("form", "appeals", *e["loc"])} for e in error.errors()]
        ) from None


def batch_files(
    request: HttpRequest, items: list[BatchIntakeItem]
) -> list[tuple[UploadedFile | None, list[UploadedFile]]]:
    """Each item's letter and attachments, from the request's file parts it names: a part
    named by no item, by two, or missing, is refused with the item's place."""
    parts = request.FILES
    used: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    found: list[tuple[UploadedFile | None, list[UploadedFile]]] = []
    for index, item in enumerate(items):
        for field, names in (
            ("letter", [item.letter] if item.letter else []),
            ("attachments", item.attachments),
        ):
            for name in names:
                if name not in parts:
                    errors.setdefault(f"appeals.{index}.{field}", []).append(
                        _("Bagian berkas '%(name)s' tidak ada dalam permintaan.") % {"name": name}
                    )
                elif name in used:
                    errors.setdefault(f"appeals.{index}.{field}", []).append(
                        _("Bagian berkas '%(name)s' sudah disebut oleh appeals.%(index)s.")
                        % {"name": name, "index": used[name]}
                    )
                else:
                    used[name] = index
        found.append(
            (
                parts.get(item.letter) if item.letter else None,
                [file for name in item.attachments if (file := parts.get(name)) is not None],
            )
        )
    unused = sorted(set(parts) - set(used))
    if unused:
        errors["files"] = [
            _("Bagian berkas tidak disebut oleh banding mana pun: %(names)s.")
            % {"names": ", ".join(unused)}
        ]
    if errors:
        raise Invalid(N_("Berkas banding tidak sesuai dengan daftarnya."), fields=errors)
    return found
