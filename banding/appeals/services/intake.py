"""Steps 1-2: an appeal registered by the staff PJTK (e-mail, courier, in person; one or a
batch), submitted online by the customer, and recorded after an online submission.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict, Unpack

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import is_customer, is_internal
from banding.appeals import access, involvement
from banding.appeals.models import Appeal, Channel, ServiceType
from banding.appeals.services import duplicates
from banding.appeals.services.intake_rows import (
    IntakeFiles,
    NewAppeal,
    StoredIntake,
    checked_files,
    intake_files,
    write_intakes,
)
from banding.appeals.services.shared import (
    INTAKE_CHANNELS,
    check_lengths,
    clean,
    complete,
    locked,
    measure,
    new_step,
    not_in_future,
    require,
)
from banding.audit.actions import Action
from banding.audit.log import Entry
from banding.errors import Forbidden, Invalid
from banding.sop import definition as sop
from banding.sop.definition import Result
from banding.workdays.calendar import load_calendar


def check_service_type(service_type: str) -> None:
    """The SOP's intake exception first (calibration PT results cannot be appealed), then a
    known service type: the same rule for staff intake and online submission."""
    if service_type == ServiceType.PT_CALIBRATION:
        raise Invalid(
            sop.CALIBRATION_PT_EXCEPTION,
            code="calibration_pt_excluded",
            fields={"service_type": [sop.CALIBRATION_PT_EXCEPTION]},
        )
    require(
        service_type in ServiceType.values,
        N_("Jenis layanan tidak dikenal."),
        field="service_type",
    )


def check_appeal_content(
    *,
    complaint_reference: str,
    complaint_outcome_date: date,
    grounds: str,
    remedy_sought: str,
    received_at: datetime,
    letter: UploadedFile | None,
) -> None:
    """What an appeal must say and carry, whoever enters it (staff intake or the customer)."""
    for field, value, message in (
        ("complaint_reference", complaint_reference, N_("Nomor keluhan wajib diisi.")),
        ("grounds", grounds, N_("Alasan banding wajib diisi.")),
        ("remedy_sought", remedy_sought, N_("Penyelesaian yang diminta wajib diisi.")),
    ):
        require(bool(clean(value)), message, field=field)
    not_in_future(received_at, "received_at", _("Waktu diterima"))
    not_in_future(complaint_outcome_date, "complaint_outcome_date", _("Tanggal hasil keluhan"))
    require(
        complaint_outcome_date <= timezone.localdate(received_at),
        N_("Tanggal hasil penanganan keluhan tidak boleh setelah tanggal banding diterima."),
        field="complaint_outcome_date",
    )
    require(letter is not None, N_("Surat permohonan banding wajib diunggah."), field="letter")


INTAKE_BATCH_MAX = 50  # appeals in one batch intake (Django takes 100 files per request)


@dataclass(frozen=True)
class Intake:
    """An appeal as the staff PJTK record it (steps 1-2): what `appeal_register` takes."""

    contact_name: str
    channel: str
    received_at: datetime
    complaint_reference: str
    complaint_outcome_date: date
    service_type: str
    grounds: str
    remedy_sought: str
    letter: UploadedFile | None
    organization: CustomerOrganization | None = None
    new_organization_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    reference_document: str = ""
    involved_persons: Sequence[User] = ()
    involved_note: str = ""
    no_involved_reason: str = ""
    appealed_team: TechnicalTeam | None = None
    attachments: Sequence[UploadedFile] = ()
    # The user confirmed it is a new appeal despite an open one of the same complaint.
    confirm_new: bool = False


class _RequiredIntakeFields(TypedDict):
    contact_name: str
    channel: str
    received_at: datetime
    complaint_reference: str
    complaint_outcome_date: date
    service_type: str
    grounds: str
    remedy_sought: str
    letter: UploadedFile | None


class IntakeFields(_RequiredIntakeFields, total=False):
    """`Intake`'s fields as the keyword arguments of `appeal_register` (the two kept alike;
    a test compares them). Those above are required; these, as in `Intake`, are not."""

    organization: CustomerOrganization | None
    new_organization_name: str
    contact_email: str
    contact_phone: str
    reference_document: str
    involved_persons: Sequence[User]
    involved_note: str
    no_involved_reason: str
    appealed_team: TechnicalTeam | None
    attachments: Sequence[UploadedFile]
    confirm_new: bool


@dataclass(frozen=True)
class _CheckedIntake:
    intake: Intake
    fields: dict[str, Any]
    new_organization_name: str
    files: IntakeFiles
    duplicates_confirmed: list[str]


def require_registrar(user: User) -> None:
    """Refuse, saying why, a user whose role does not register appeals (step 2)."""
    if not access.may_register(user):
        raise Forbidden(access.actor_refusal(sop.Actor.STF, 2), code="not_your_role")


def appeal_register(*, user: User, **intake: Unpack[IntakeFields]) -> Appeal:
    """Steps 1-2: staff register an appeal that came by e-mail, courier or in person (the
    fields of `Intake`)."""
    require_registrar(user)
    checked = Intake(**intake)
    organization = checked.organization.pk if checked.organization is not None else None
    matches = duplicates.open_duplicates(organization, checked.complaint_reference)
    (appeal,) = _register(user, [_checked_intake(checked, matches)])
    return appeal


def appeals_register(*, user: User, intakes: Sequence[Intake]) -> list[Appeal]:
    """Steps 1-2 for several appeals at once (the API's batch intake, for a system that
    forwards appeals): each checked as `appeal_register` checks one, then all registered in
    one transaction, numbered in the order given, or none: a refusal names every item at
    fault by its place in the list (`appeals.<i>.<field>`)."""
    require_registrar(user)
    require(
        1 <= len(intakes) <= INTAKE_BATCH_MAX,
        _("Kirim 1 sampai %(max)s banding sekaligus (terkirim %(sent)s).")
        % {"max": INTAKE_BATCH_MAX, "sent": len(intakes)},
        field="appeals",
    )
    checked, errors = [], {}
    suspected: list[Appeal] = []
    found = duplicates.open_duplicates_of(
        [
            (i.organization.pk if i.organization is not None else None, i.complaint_reference)
            for i in intakes
        ]
    )
    for index, intake in enumerate(intakes):
        try:
            checked.append(_checked_intake(intake, found[index]))
        except (Invalid, duplicates.DuplicateSuspected) as refusal:
            if isinstance(refusal, duplicates.DuplicateSuspected):
                suspected += refusal.matches
            for name, messages in (refusal.fields or {"": [refusal.message]}).items():
                errors[f"appeals.{index}" + (f".{name}" if name else "")] = messages
    if suspected and len(errors) == len([k for k in errors if k.endswith(".confirm_new")]):
        raise duplicates.DuplicateSuspected(
            _(
                "Sebagian banding menyebut nomor keluhan yang banding berjalannya sudah ada; "
                "tidak satu pun dicatat. Kirim lagi dengan confirm_new bila memang baru."
            ),
            matches=suspected,
            fields=errors,
        )
    if errors:
        faulty = len({key.split(".")[1] for key in errors})
        raise Invalid(
            _("%(faulty)s dari %(total)s banding tidak dapat dicatat; tidak satu pun dicatat.")
            % {"faulty": faulty, "total": len(intakes)},
            fields=errors,
        )
    return _register(user, checked)


def _checked_intake(intake: Intake, matches: Sequence[Appeal]) -> _CheckedIntake:
    """One staff intake checked, before anything is written."""
    check_service_type(intake.service_type)
    require(
        intake.channel in INTAKE_CHANNELS,
        N_("Saluran harus email, ekspedisi atau langsung."),
        field="channel",
    )
    new_name = clean(intake.new_organization_name)
    require(
        intake.organization is not None or bool(new_name),
        N_("Pilih organisasi pelanggan atau tuliskan nama organisasi baru."),
        field="organization",
    )
    require(bool(clean(intake.contact_name)), N_("Narahubung wajib diisi."), field="contact_name")
    received_at = intake.received_at
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    check_appeal_content(
        complaint_reference=intake.complaint_reference,
        complaint_outcome_date=intake.complaint_outcome_date,
        grounds=intake.grounds,
        remedy_sought=intake.remedy_sought,
        received_at=received_at,
        letter=intake.letter,
    )
    involvement.check_answer(
        persons=intake.involved_persons,
        outsiders=intake.involved_note,
        none_reason=intake.no_involved_reason,
        team=intake.appealed_team,
    )
    assert intake.letter is not None  # check_appeal_content refused an intake without one
    fields = dict(
        contact_name=clean(intake.contact_name),
        contact_email=clean(intake.contact_email),
        contact_phone=clean(intake.contact_phone),
        channel=intake.channel,
        received_at=received_at,
        complaint_reference=clean(intake.complaint_reference),
        complaint_outcome_date=intake.complaint_outcome_date,
        service_type=intake.service_type,
        reference_document=clean(intake.reference_document),
        grounds=clean(intake.grounds),
        remedy_sought=clean(intake.remedy_sought),
        involved_note=clean(intake.involved_note),
        no_involved_reason=clean(intake.no_involved_reason),
        appealed_team=intake.appealed_team,
    )
    check_lengths(Appeal, fields)
    check_lengths(CustomerOrganization, {"name": new_name}, field="new_organization_name")
    confirmed = duplicates.check_duplicates(
        matches, intake.complaint_reference, confirm_new=intake.confirm_new
    )
    files = checked_files(intake.letter, intake.attachments)
    return _CheckedIntake(intake, fields, new_name, files, confirmed)


def _register(user: User, checked: Sequence[_CheckedIntake]) -> list[Appeal]:
    """The files, then the rows of staff intakes, inside their transaction."""
    with intake_files([c.files for c in checked]) as stored:
        now = timezone.now()
        calendar = load_calendar()
        new_organizations: dict[str, CustomerOrganization] = {}
        intakes = []
        for c, files in zip(checked, stored, strict=True):
            organization = c.intake.organization
            if organization is None:
                name = c.new_organization_name
                if name not in new_organizations:
                    new_organizations[name], _ = CustomerOrganization.objects.get_or_create(
                        name=name
                    )
                organization = new_organizations[name]
            channel, received_at = c.fields["channel"], c.fields["received_at"]
            # Step 1 is the customer's: it happened when the letter arrived. Step 2 ran from
            # then until now, when the staff recorded it. Step 3 opens now.
            submitted = new_step(None, 1, received_at, calendar)
            submitted.outcome, submitted.data = Result.SUBMITTED, {"channel": channel}
            measure(submitted, received_at)
            recorded = new_step(None, 2, received_at, calendar)
            recorded.outcome, recorded.completed_by = Result.RECORDED, user
            measure(recorded, now)
            intakes.append(
                NewAppeal(
                    stored=files,
                    organization=organization,
                    fields=c.fields,
                    steps=[submitted, recorded, new_step(None, 3, now, calendar)],
                    announce=_registered(
                        user, channel, c.fields["service_type"], c.duplicates_confirmed
                    ),
                    involved_persons=c.intake.involved_persons,
                )
            )
        return write_intakes(user=user, now=now, intakes=intakes)


def _registered(
    user: User, channel: str, service_type: str, confirmed: list[str]
) -> Callable[[str], Entry]:
    return lambda number: Entry(
        action=Action.APPEAL_REGISTERED,
        summary=f"Banding {number} diterima melalui {Channel(channel).label} dan dicatat"
        + duplicates.confirmed_summary(confirmed),
        actor=user,
        step=2,
        data={
            "number": number,
            "channel": channel,
            "service_type": service_type,
            **duplicates.confirmed_data(confirmed),
        },
        public=True,
    )


NOT_CONFIRMED = N_(
    "Akun Anda belum terhubung dengan organisasi pelanggan yang telah dikonfirmasi; banding "
    "dapat diajukan setelah staff PJTK mengonfirmasi organisasi Anda."
)


def _may_submit(user: User) -> None:
    if not (user.is_authenticated and user.is_active) or is_internal(user):
        raise Forbidden(access.actor_refusal(sop.Actor.PEL, 1), code="not_your_role")
    if not is_customer(user):
        # No role and no organisation yet: a customer whose organisation waits for staff
        # confirmation is told so, not that it plays the wrong part.
        raise Forbidden(NOT_CONFIRMED, code="not_confirmed")


def appeal_submit(
    *,
    user: User,
    complaint_reference: str,
    complaint_outcome_date: date,
    service_type: str,
    reference_document: str = "",
    grounds: str,
    remedy_sought: str,
    contact_name: str = "",
    contact_phone: str = "",
    letter: UploadedFile | None,
    attachments: Sequence[UploadedFile] = (),
    confirm_new: bool = False,
) -> Appeal:
    """Step 1 online: a customer submits its appeal. It is received now and numbered at once;
    step 2 opens for the staff PJTK, who check it and complete it (appeal_record). An open
    appeal of the organisation with the same complaint reference is shown first
    (DuplicateSuspected) until the customer confirms it is a new appeal (`confirm_new`)."""
    _may_submit(user)
    check_service_type(service_type)
    now = timezone.now()
    check_appeal_content(
        complaint_reference=complaint_reference,
        complaint_outcome_date=complaint_outcome_date,
        grounds=grounds,
        remedy_sought=remedy_sought,
        received_at=now,
        letter=letter,
    )
    assert letter is not None  # check_appeal_content refused a submission without one
    fields = dict(
        contact_name=clean(contact_name) or user.display_name,
        contact_email=user.email,
        contact_phone=clean(contact_phone) or user.phone,
        complaint_reference=clean(complaint_reference),
        complaint_outcome_date=complaint_outcome_date,
        service_type=service_type,
        reference_document=clean(reference_document),
        grounds=clean(grounds),
        remedy_sought=clean(remedy_sought),
    )
    check_lengths(Appeal, fields)
    confirmed = duplicates.check_duplicates(
        duplicates.open_duplicates(user.organization_id, complaint_reference),
        complaint_reference,
        confirm_new=confirm_new,
    )
    with intake_files([checked_files(letter, attachments)]) as (stored,):
        return _submit(user=user, stored=stored, fields=fields, confirmed=confirmed)


def _submit(
    *, user: User, stored: StoredIntake, fields: dict[str, Any], confirmed: list[str]
) -> Appeal:
    """The rows of an online submission, inside its transaction."""
    # Re-read under the transaction: an account deactivated or moved meanwhile submits nothing.
    user = User.objects.select_related("organization").get(pk=user.pk)
    _may_submit(user)
    organization = user.organization
    assert organization is not None  # _may_submit: a customer's account has its organisation
    now = timezone.now()
    calendar = load_calendar()
    submitted = new_step(None, 1, now, calendar)
    submitted.outcome, submitted.completed_by = Result.SUBMITTED, user
    submitted.data = {"channel": Channel.PORTAL.value}
    measure(submitted, now)
    (appeal,) = write_intakes(
        user=user,
        now=now,
        intakes=[
            NewAppeal(
                stored=stored,
                organization=organization,
                fields={**fields, "channel": Channel.PORTAL, "received_at": now},
                steps=[submitted, new_step(None, 2, now, calendar)],
                announce=lambda number: Entry(
                    action=Action.APPEAL_SUBMITTED,
                    summary=f"Banding {number} diajukan melalui portal pelanggan"
                    + duplicates.confirmed_summary(confirmed),
                    actor=user,
                    step=1,
                    data={
                        "number": number,
                        "channel": Channel.PORTAL.value,
                        "service_type": fields["service_type"],
                        **duplicates.confirmed_data(confirmed),
                    },
                    public=True,
                ),
            )
        ],
    )
    return appeal


def appeal_record(
    *,
    appeal: Appeal,
    user: User,
    involved_persons: Sequence[User] = (),
    involved_note: str = "",
    no_involved_reason: str = "",
    appealed_team: TechnicalTeam | None = None,
) -> Appeal:
    """Step 2 of an appeal submitted online: the staff PJTK have checked the submission and
    record who was involved in the original activity (which the customer cannot say): the
    institute's people, outsiders by name, the technical team whose work is appealed, or
    that nobody was, with the reason (appeals.involvement); the appeal goes on to
    verification (step 3)."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 2)
        involvement.check_answer(
            persons=involved_persons,
            outsiders=involved_note,
            none_reason=no_involved_reason,
            team=appealed_team,
        )
        texts = {
            "involved_note": clean(involved_note),
            "no_involved_reason": clean(no_involved_reason),
        }
        check_lengths(Appeal, texts)
        persons = list(dict.fromkeys(involved_persons))
        appeal.involved_persons.set(persons)
        appeal.involved_note = texts["involved_note"]
        appeal.no_involved_reason = texts["no_involved_reason"]
        appeal.appealed_team = appealed_team
        data = {
            "involved_persons": [str(u.public_id) for u in persons],
            **texts,
            "appealed_team": appealed_team.code if appealed_team else "",
        }
        complete(
            appeal,
            user=user,
            number=2,
            outcome=Result.RECORDED,
            data=data,
            summary="Permohonan banding diperiksa dan dicatat oleh staff PJTK",
        )
    return appeal
