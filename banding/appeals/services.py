"""One service per SOP action: the only code that changes an appeal.

Each is keyword-only and atomic: it locks the appeal, checks role and state against the SOP
definition (banding.appeals.access), writes the change and its audit event in the same
transaction. The web views, the API and the commands call these and nothing else.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import PANEL_ELIGIBLE_ROLES, has_role, is_customer, is_internal
from banding.appeals import access, deadlines, outputs, relations
from banding.appeals.models import (
    Appeal,
    Channel,
    Decision,
    Document,
    DocumentKind,
    Note,
    NoteKind,
    PanelRole,
    PanelSeat,
    RegisterSequence,
    ServiceType,
    Status,
    Step,
)
from banding.appeals.uploads import CheckedFile, check_upload, files_removed_on_error
from banding.audit.log import Entry, record, record_all, record_each
from banding.errors import Conflict, Forbidden, Invalid
from banding.notifications import events
from banding.sop import definition as sop
from banding.sop.definition import Result
from banding.workdays.calendar import WorkCalendar, load_calendar

INTAKE_CHANNELS = (Channel.EMAIL, Channel.COURIER, Channel.IN_PERSON)


# --- helpers -------------------------------------------------------------------------------


def _locked(appeal: Appeal) -> Appeal:
    """The appeal re-read under a row lock: concurrent actions on it queue here, and the
    second sees the state the first left."""
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def _require(condition: bool, message: str, *, field: str | None = None, code: str = "invalid"):
    if not condition:
        raise Invalid(message, code=code, fields={field: [message]} if field else None)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _advance(appeal: Appeal, *, user: User, number: int, outcome: str, data: dict) -> Step:
    """Complete the open occurrence of step `number` with `outcome` and open the next step
    that the SOP definition names (or close the appeal). Refused, before anything is written,
    while an output the step requires for `outcome` is missing; the outputs it has are
    recorded in `data` (kind, number, SHA-256)."""
    now = timezone.now()
    current = appeal.steps.get(completed_at__isnull=True)
    if current.number != number:  # the denormalised columns and the steps disagree
        raise Conflict(f"Langkah terbuka banding {appeal.number} tidak sesuai.")
    found = outputs.require(appeal, current, outcome)
    if found:
        data["outputs"] = outputs.described(found)
    current.completed_by = user
    current.outcome = outcome
    current.data = data
    _measure(current, now)
    current.save(
        update_fields=[
            "completed_at",
            "completed_by",
            "outcome",
            "data",
            "working_minutes",
            "within_standard",
        ]
    )
    result = sop.step(number).outcome(outcome)
    if result.next_step == sop.END:
        appeal.status = result.closes_as
        appeal.current_step = None
        appeal.current_actor = ""
        appeal.current_since = None
        appeal.current_due_at = None
        appeal.current_at_risk_at = None
        appeal.closed_at = now
    else:
        _open_step(appeal, result.next_step, now)
    appeal.save()
    reached = sop.reached_by(number, outcome)
    if reached is not None:
        events.milestone_reached(appeal=appeal, milestone=reached, step=current)
    return current


def _complete(
    appeal: Appeal, *, user: User, number: int, outcome: str, data: dict, summary: str
) -> Step:
    """Complete step `number` (_advance) and write its public event, which tells the
    customer's timeline."""
    step = _advance(appeal, user=user, number=number, outcome=outcome, data=data)
    _record_step(appeal, user, number, outcome, summary, data)
    return step


def _measure(step: Step, completed_at: datetime) -> None:
    """Record the working time a step took and whether it kept its standard time."""
    step.completed_at = completed_at
    step.working_minutes = deadlines.working_minutes(step.started_at, completed_at)
    step.within_standard = step.due_at is None or completed_at <= step.due_at


def _new_step(
    appeal: Appeal | None, number: int, started_at: datetime, calendar: WorkCalendar | None = None
) -> Step:
    s = sop.step(number)
    # A stored deadline is read from the override table in this transaction, not from this
    # process's cached calendar, which may not yet know another process's calendar change.
    deadline = deadlines.deadline_for(number, started_at, calendar or load_calendar())
    return Step(
        appeal=appeal,
        number=s.number,
        actor=s.actor,
        started_at=started_at,
        due_at=deadline.due_at,
        at_risk_at=deadline.at_risk_at,
    )


def _open_step(
    appeal: Appeal, number: int, started_at: datetime, calendar: WorkCalendar | None = None
) -> Step:
    step = _new_step(appeal, number, started_at, calendar)
    step.save()
    for name, value in _current_fields(step).items():
        setattr(appeal, name, value)
    events.step_opened(appeal=appeal, step=step)
    return step


def _current_fields(step: Step) -> dict:
    """The appeal's denormalised "where it stands" columns while `step` is open."""
    return {
        "current_step": step.number,
        "current_actor": step.actor,
        "current_since": step.started_at,
        "current_due_at": step.due_at,
        "current_at_risk_at": step.at_risk_at,
    }


def _record_step(appeal: Appeal, user: User, number: int, outcome: str, summary: str, data: dict):
    record(
        action=f"step.{number}.{outcome}",
        summary=summary,
        actor=user,
        appeal=appeal,
        step=number,
        data=data,
        public=True,
    )


@dataclass(frozen=True)
class _Written:
    """An uploaded file already in storage, waiting for its Document row."""

    public_id: uuid.UUID
    name: str
    checked: CheckedFile


def _write(appeal_public_id: uuid.UUID, checked: CheckedFile, written: list[str]) -> _Written:
    """Store a checked upload before the transaction, so no lock is held during file I/O;
    `files_removed_on_error` removes it again if the action then fails."""
    public_id = uuid.uuid4()
    # The stored name carries no user input: the original name is kept in the row.
    name = default_storage.save(f"appeals/{appeal_public_id}/{public_id}", checked.upload)
    written.append(name)
    return _Written(public_id, name, checked)


def _document(
    appeal: Appeal,
    file: _Written,
    *,
    kind: str,
    step: int,
    user: User,
    uploaded_at: datetime | None = None,
) -> Document:
    """The (unsaved) row of a stored upload."""
    checked = file.checked
    return Document(
        public_id=file.public_id,
        appeal=appeal,
        kind=kind,
        step=step,
        file=file.name,
        original_name=(checked.upload.name or "berkas")[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        uploaded_at=uploaded_at or timezone.now(),
    )


def _document_added(doc: Document, user: User) -> Entry:
    return Entry(
        action="document.added",
        summary=f"Dokumen ditambahkan: {doc.get_kind_display()} ({doc.original_name})",
        actor=user,
        step=doc.step,
        data={"document": str(doc.public_id), "kind": doc.kind, "sha256": doc.sha256},
    )


def _store(
    appeal: Appeal,
    file: _Written,
    *,
    kind: str,
    step: int,
    user: User,
    uploaded_at: datetime | None = None,
) -> Document:
    doc = _document(appeal, file, kind=kind, step=step, user=user, uploaded_at=uploaded_at)
    doc.save(force_insert=True)
    record_all(appeal, [_document_added(doc, user)])
    return doc


def _fresh(appeal: Appeal) -> Appeal:
    """The appeal as it stands now, without a lock: for refusing early, before reading an
    upload; the locked re-check inside the transaction is the one that counts."""
    return Appeal.objects.get(pk=appeal.pk)


def _not_in_future(value: date | datetime, field: str, label: str) -> None:
    now = timezone.now()
    limit = now if isinstance(value, datetime) else timezone.localdate(now)
    _require(value <= limit, f"{label} tidak boleh di masa depan.", field=field)


def _next_numbers(year: int, count: int) -> list[tuple[int, str]]:
    """The year's next `count` sequence numbers, taken by one upsert that locks the counter
    row until the intake commits (PostgreSQL: the row; SQLite: the IMMEDIATE transaction
    already holds the write lock): unique, and gapless because a rolled-back intake rolls
    them back too."""
    table, last = (connection.ops.quote_name(n) for n in (RegisterSequence._meta.db_table, "last"))
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("year", {last}) VALUES (%s, %s) '
            f'ON CONFLICT ("year") DO UPDATE SET {last} = {table}.{last} + %s RETURNING {last}',
            [year, count, count],
        )
        (highest,) = cursor.fetchone()
    return [
        (sequence, settings.BANDING_REGISTER_FORMAT.format(year=year, seq=sequence))
        for sequence in range(highest - count + 1, highest + 1)
    ]


@dataclass(frozen=True)
class _Files:
    """An intake's uploads, checked: the letter and the attachments."""

    letter: CheckedFile
    attachments: list[CheckedFile]


@dataclass(frozen=True)
class _Stored:
    """An intake's uploads in storage under the new appeal's public id."""

    public_id: uuid.UUID
    letter: _Written
    attachments: list[_Written]


def _checked_files(letter: UploadedFile, attachments: Sequence[UploadedFile]) -> _Files:
    return _Files(check_upload(letter), [check_upload(f) for f in attachments])


@contextmanager
def _intake_files(intakes: Sequence[_Files]) -> Iterator[list[_Stored]]:
    """The intakes' checked files stored, each under its new appeal's public id, before the
    transaction, which the block then runs in; the files are removed again if it fails."""
    with files_removed_on_error() as written:
        stored = []
        for files in intakes:
            public_id = uuid.uuid4()
            stored.append(
                _Stored(
                    public_id,
                    _write(public_id, files.letter, written),
                    [_write(public_id, c, written) for c in files.attachments],
                )
            )
        with transaction.atomic():
            yield stored


@dataclass
class _NewAppeal:
    """The rows of one intake before they are written: `steps` done but the last, which
    opens; `announce(number)` the event that records it."""

    stored: _Stored
    organization: CustomerOrganization
    fields: dict
    steps: list[Step]
    announce: Callable[[str], Entry]
    involved_persons: Sequence[User] = ()


def _write_intakes(*, user: User, now: datetime, intakes: Sequence[_NewAppeal]) -> list[Appeal]:
    """The rows of one or more intakes (staff or online), inside their transaction, in a
    number of statements that does not grow with theirs: the year's numbers taken at once,
    each appeal written once with the columns of its open step, the steps in one insert,
    the documents in one, the events (each appeal's `announce(number)` and one per
    document) in one batch, and the notices and mails of everyone told (events.tell) in
    their inserts."""
    year = timezone.localtime(now).year
    appeals = [
        Appeal(
            public_id=new.stored.public_id,
            number=number,
            year=year,
            sequence=sequence,
            organization=new.organization,
            created_by=user,
            created_at=now,
            **new.fields,
            **_current_fields(new.steps[-1]),
        )
        for new, (sequence, number) in zip(intakes, _next_numbers(year, len(intakes)), strict=True)
    ]
    if len(appeals) == 1:
        appeals[0].save(force_insert=True)
    else:
        Appeal.objects.bulk_create(appeals)
    Involved = Appeal.involved_persons.through
    involved = [
        Involved(appeal_id=appeal.pk, user_id=person.pk)
        for appeal, new in zip(appeals, intakes, strict=True)
        for person in dict.fromkeys(new.involved_persons)
    ]
    if involved:
        Involved.objects.bulk_create(involved)
    documents: list[list[Document]] = []
    for appeal, new in zip(appeals, intakes, strict=True):
        for step in new.steps:
            step.appeal = appeal
        step_number = new.steps[-2].number  # the documents came with the step just done
        documents.append(
            [
                _document(
                    appeal,
                    new.stored.letter,
                    kind=DocumentKind.APPEAL_LETTER,
                    step=step_number,
                    user=user,
                ),
                *(
                    _document(
                        appeal, file, kind=DocumentKind.SUPPORTING, step=step_number, user=user
                    )
                    for file in new.stored.attachments
                ),
            ]
        )
    Step.objects.bulk_create([step for new in intakes for step in new.steps])
    Document.objects.bulk_create([doc for docs in documents for doc in docs])
    record_each(
        [
            (
                appeal,
                [new.announce(appeal.number), *(_document_added(doc, user) for doc in docs)],
            )
            for appeal, new, docs in zip(appeals, intakes, documents, strict=True)
        ]
    )
    submitted = sop.reached_by(sop.FIRST_STEP, Result.SUBMITTED)
    events.tell(
        opened=[(appeal, new.steps[-1]) for appeal, new in zip(appeals, intakes, strict=True)],
        reached=[
            (appeal, submitted, new.steps[0]) for appeal, new in zip(appeals, intakes, strict=True)
        ],
    )
    # All that the caller shows of the new appeals is in hand: they need not be read again.
    for appeal, new, docs in zip(appeals, intakes, documents, strict=True):
        relations.remember(
            appeal,
            steps=new.steps,
            panel_seats=[],
            involved_persons=list(dict.fromkeys(new.involved_persons)),
            notes=[],
            documents=docs,
        )
    return appeals


# --- steps 1-2: intake ---------------------------------------------------------------------


def _check_service_type(service_type: str) -> None:
    """The SOP's intake exception first (calibration PT results cannot be appealed), then a
    known service type: the same rule for staff intake and online submission."""
    if service_type == ServiceType.PT_CALIBRATION:
        raise Invalid(
            sop.CALIBRATION_PT_EXCEPTION,
            code="calibration_pt_excluded",
            fields={"service_type": [sop.CALIBRATION_PT_EXCEPTION]},
        )
    _require(
        service_type in ServiceType.values, "Jenis layanan tidak dikenal.", field="service_type"
    )


def _check_appeal_content(
    *,
    complaint_reference: str,
    complaint_outcome_date: date,
    grounds: str,
    remedy_sought: str,
    received_at: datetime,
    letter: UploadedFile | None,
) -> None:
    """What an appeal must say and carry, whoever enters it (staff intake or the customer)."""
    for field, value, label in (
        ("complaint_reference", complaint_reference, "Nomor keluhan"),
        ("grounds", grounds, "Alasan banding"),
        ("remedy_sought", remedy_sought, "Penyelesaian yang diminta"),
    ):
        _require(bool(_text(value)), f"{label} wajib diisi.", field=field)
    _not_in_future(received_at, "received_at", "Waktu diterima")
    _not_in_future(complaint_outcome_date, "complaint_outcome_date", "Tanggal hasil keluhan")
    _require(
        complaint_outcome_date <= timezone.localdate(received_at),
        "Tanggal hasil penanganan keluhan tidak boleh setelah tanggal banding diterima.",
        field="complaint_outcome_date",
    )
    _require(letter is not None, "Surat permohonan banding wajib diunggah.", field="letter")


def _check_lengths(model, values: dict, *, field: str | None = None) -> None:
    """Text longer than its column holds is refused with the field named, before any file is
    stored (PostgreSQL would refuse it at the insert, SQLite would keep it whole)."""
    errors = {}
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit and isinstance(value, str) and len(value) > limit:
            errors[field or name] = [f"Paling banyak {limit} karakter (tertulis {len(value)})."]
    if errors:
        raise Invalid("Isian terlalu panjang.", fields=errors)


def _check_involved(involved_persons: Sequence[User]) -> None:
    for person in involved_persons:
        _require(
            person.organization_id is None,
            "Pihak terlibat harus pegawai Balai.",
            field="involved_persons",
        )


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
    attachments: Sequence[UploadedFile] = ()


@dataclass(frozen=True)
class _CheckedIntake:
    intake: Intake
    fields: dict
    new_organization_name: str
    files: _Files


def require_registrar(user: User) -> None:
    """Refuse, saying why, a user whose role does not register appeals (step 2)."""
    if not access.may_register(user):
        raise Forbidden(access.actor_refusal(sop.Actor.STF, 2), code="not_your_role")


def appeal_register(*, user: User, **intake) -> Appeal:
    """Steps 1-2: staff register an appeal that came by e-mail, courier or in person (the
    fields of `Intake`)."""
    require_registrar(user)
    (appeal,) = _register(user, [_checked_intake(Intake(**intake))])
    return appeal


def appeals_register(*, user: User, intakes: Sequence[Intake]) -> list[Appeal]:
    """Steps 1-2 for several appeals at once (the API's batch intake, for a system that
    forwards appeals): each checked as `appeal_register` checks one, then all registered in
    one transaction, numbered in the order given, or none: a refusal names every item at
    fault by its place in the list (`appeals.<i>.<field>`)."""
    require_registrar(user)
    _require(
        1 <= len(intakes) <= INTAKE_BATCH_MAX,
        f"Kirim 1 sampai {INTAKE_BATCH_MAX} banding sekaligus (terkirim {len(intakes)}).",
        field="appeals",
    )
    checked, errors = [], {}
    for index, intake in enumerate(intakes):
        try:
            checked.append(_checked_intake(intake))
        except Invalid as refusal:
            for name, messages in (refusal.fields or {"": [refusal.message]}).items():
                errors[f"appeals.{index}" + (f".{name}" if name else "")] = messages
    if errors:
        faulty = len({key.split(".")[1] for key in errors})
        raise Invalid(
            f"{faulty} dari {len(intakes)} banding tidak dapat dicatat; tidak satu pun dicatat.",
            fields=errors,
        )
    return _register(user, checked)


def _checked_intake(intake: Intake) -> _CheckedIntake:
    """One staff intake checked, before anything is written."""
    _check_service_type(intake.service_type)
    _require(
        intake.channel in INTAKE_CHANNELS,
        "Saluran harus email, ekspedisi atau langsung.",
        field="channel",
    )
    new_name = _text(intake.new_organization_name)
    _require(
        intake.organization is not None or bool(new_name),
        "Pilih organisasi pelanggan atau tuliskan nama organisasi baru.",
        field="organization",
    )
    _require(bool(_text(intake.contact_name)), "Narahubung wajib diisi.", field="contact_name")
    received_at = intake.received_at
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    _check_appeal_content(
        complaint_reference=intake.complaint_reference,
        complaint_outcome_date=intake.complaint_outcome_date,
        grounds=intake.grounds,
        remedy_sought=intake.remedy_sought,
        received_at=received_at,
        letter=intake.letter,
    )
    _check_involved(intake.involved_persons)
    fields = dict(
        contact_name=_text(intake.contact_name),
        contact_email=_text(intake.contact_email),
        contact_phone=_text(intake.contact_phone),
        channel=intake.channel,
        received_at=received_at,
        complaint_reference=_text(intake.complaint_reference),
        complaint_outcome_date=intake.complaint_outcome_date,
        service_type=intake.service_type,
        reference_document=_text(intake.reference_document),
        grounds=_text(intake.grounds),
        remedy_sought=_text(intake.remedy_sought),
        involved_note=_text(intake.involved_note),
    )
    _check_lengths(Appeal, fields)
    _check_lengths(CustomerOrganization, {"name": new_name}, field="new_organization_name")
    files = _checked_files(intake.letter, intake.attachments)
    return _CheckedIntake(intake, fields, new_name, files)


def _register(user: User, checked: Sequence[_CheckedIntake]) -> list[Appeal]:
    """The files, then the rows of staff intakes, inside their transaction."""
    with _intake_files([c.files for c in checked]) as stored:
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
            submitted = _new_step(None, 1, received_at, calendar)
            submitted.outcome, submitted.data = Result.SUBMITTED, {"channel": channel}
            _measure(submitted, received_at)
            recorded = _new_step(None, 2, received_at, calendar)
            recorded.outcome, recorded.completed_by = Result.RECORDED, user
            _measure(recorded, now)
            intakes.append(
                _NewAppeal(
                    stored=files,
                    organization=organization,
                    fields=c.fields,
                    steps=[submitted, recorded, _new_step(None, 3, now, calendar)],
                    announce=_registered(user, channel, c.fields["service_type"]),
                    involved_persons=c.intake.involved_persons,
                )
            )
        return _write_intakes(user=user, now=now, intakes=intakes)


def _registered(user: User, channel: str, service_type: str) -> Callable[[str], Entry]:
    return lambda number: Entry(
        action="appeal.registered",
        summary=f"Banding {number} diterima melalui {Channel(channel).label} dan dicatat",
        actor=user,
        step=2,
        data={"number": number, "channel": channel, "service_type": service_type},
        public=True,
    )


# --- steps 1-2: online submission by the customer (portal, API) ------------------------------

NOT_CONFIRMED = (
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
) -> Appeal:
    """Step 1 online: a customer submits its appeal. It is received now and numbered at once;
    step 2 opens for the staff PJTK, who check it and complete it (appeal_record)."""
    _may_submit(user)
    _check_service_type(service_type)
    now = timezone.now()
    _check_appeal_content(
        complaint_reference=complaint_reference,
        complaint_outcome_date=complaint_outcome_date,
        grounds=grounds,
        remedy_sought=remedy_sought,
        received_at=now,
        letter=letter,
    )
    fields = dict(
        contact_name=_text(contact_name) or user.display_name,
        contact_email=user.email,
        contact_phone=_text(contact_phone) or user.phone,
        complaint_reference=_text(complaint_reference),
        complaint_outcome_date=complaint_outcome_date,
        service_type=service_type,
        reference_document=_text(reference_document),
        grounds=_text(grounds),
        remedy_sought=_text(remedy_sought),
    )
    _check_lengths(Appeal, fields)
    with _intake_files([_checked_files(letter, attachments)]) as (stored,):
        return _submit(user=user, stored=stored, fields=fields)


def _submit(*, user: User, stored: _Stored, fields: dict) -> Appeal:
    """The rows of an online submission, inside its transaction."""
    # Re-read under the transaction: an account deactivated or moved meanwhile submits nothing.
    user = User.objects.select_related("organization").get(pk=user.pk)
    _may_submit(user)
    now = timezone.now()
    calendar = load_calendar()
    submitted = _new_step(None, 1, now, calendar)
    submitted.outcome, submitted.completed_by = Result.SUBMITTED, user
    submitted.data = {"channel": Channel.PORTAL.value}
    _measure(submitted, now)
    (appeal,) = _write_intakes(
        user=user,
        now=now,
        intakes=[
            _NewAppeal(
                stored=stored,
                organization=user.organization,
                fields={**fields, "channel": Channel.PORTAL, "received_at": now},
                steps=[submitted, _new_step(None, 2, now, calendar)],
                announce=lambda number: Entry(
                    action="appeal.submitted",
                    summary=f"Banding {number} diajukan melalui portal pelanggan",
                    actor=user,
                    step=1,
                    data={
                        "number": number,
                        "channel": Channel.PORTAL.value,
                        "service_type": fields["service_type"],
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
) -> Appeal:
    """Step 2 of an appeal submitted online: the staff PJTK have checked the submission and
    record it, naming the institute's people involved in the original activity (which the
    customer cannot); the appeal goes on to verification (step 3)."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 2)
        _check_involved(involved_persons)
        persons = list(dict.fromkeys(involved_persons))
        appeal.involved_persons.set(persons)
        appeal.involved_note = _text(involved_note)
        data = {
            "involved_persons": [str(u.public_id) for u in persons],
            "involved_note": appeal.involved_note,
        }
        _complete(
            appeal,
            user=user,
            number=2,
            outcome=Result.RECORDED,
            data=data,
            summary="Permohonan banding diperiksa dan dicatat oleh staff PJTK",
        )
    return appeal


# --- steps whose letters are made from their own record (3, 5, 6, 9) -----------------------


def _open_occurrence(appeal: Appeal, number: int) -> Step:
    step = appeal.steps.get(completed_at__isnull=True)
    if step.number != number:  # the denormalised columns and the steps disagree
        raise Conflict(f"Langkah terbuka banding {appeal.number} tidak sesuai.")
    return step


def _settle(
    appeal: Appeal, *, user: User, number: int, outcome: str, data: dict, summary: str
) -> None:
    """What the actor of a record-first step submitted: kept on the open step while the
    letters it requires are to be made from it (the step completes with step_complete), or
    applied and the step completed at once when that outcome requires none. Letters already
    made from an earlier record are reconciled with the new one first."""
    from banding.letters.services import reconcile_with_record

    step = _open_occurrence(appeal, number)
    reconcile_with_record(appeal=appeal, step=step, user=user, outcome=outcome)
    if sop.step(number).required(outcome):
        step.recorded_outcome = outcome
        step.recorded_data = data
        step.recorded_at = timezone.now()
        step.recorded_by = user
        step.save(update_fields=["recorded_outcome", "recorded_data", "recorded_at", "recorded_by"])
        wanted = ", ".join(o.label for o in sop.step(number).required(outcome))
        record(
            action=f"step.{number}.pending",
            summary=f"Hasil langkah {number} dicatat: {summary}; menunggu {wanted}",
            actor=user,
            appeal=appeal,
            step=number,
            data=data,
        )
        return
    _APPLY[number](appeal, data)
    _complete(appeal, user=user, number=number, outcome=outcome, data=data, summary=summary)


def step_complete(*, appeal: Appeal, user: User, number: int) -> Appeal:
    """A record-first step (3, 5, 6, 9) completes with what its actor recorded, once the
    letters made from that record are issued."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, number)
        s = sop.step(number)
        if not s.record_first:
            raise Conflict(
                f"Langkah {s.number} ({s.title}) diselesaikan dengan formulirnya sendiri.",
                code="wrong_step",
            )
        if s.actor == sop.Actor.TPB:
            _require_declared(appeal, user)
        step = _open_occurrence(appeal, number)
        if not step.recorded_outcome:
            raise Conflict(
                f"Catat dahulu hasil langkah {s.number} ({s.title}); surat langkah ini dibuat "
                "dari catatan itu.",
                code="record_missing",
            )
        data = dict(step.recorded_data)
        _APPLY[number](appeal, data)
        _complete(
            appeal,
            user=user,
            number=number,
            outcome=step.recorded_outcome,
            data=data,
            summary=_SUMMARY[number](data),
        )
    return appeal


def recorded_step(appeal: Appeal) -> Step | None:
    """The appeal's open step when its facts are recorded and wait for their letters."""
    if not appeal.is_open:
        return None
    step = next((s for s in appeal.steps.all() if s.completed_at is None), None)
    return step if step is not None and step.recorded_outcome else None


# --- step 3: verification ------------------------------------------------------------------


def appeal_verify(
    *,
    appeal: Appeal,
    user: User,
    checklist: dict[str, bool],
    relevant: bool,
    reasons: str = "",
    technical_team: TechnicalTeam | None = None,
) -> Appeal:
    """Step 3: completeness and relevance. Relevant: recorded, the nota dinas to the technical
    team is made from it and issued, then the step completes (step_complete) and step 5
    opens. Not relevant: the step completes at once and the rejection letter follows at
    step 4."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 3)
        items = sop.step(3).checklist
        answers = {item: bool(checklist.get(item)) for item in items}
        missing = [item for item, ok in answers.items() if not ok]
        reasons = _text(reasons)
        if relevant:
            _require(
                technical_team is not None,
                "Pilih Bagian/Tim Teknis tujuan nota dinas.",
                field="technical_team",
            )
            _require(
                not missing,
                "Banding yang belum lengkap tidak dapat dinyatakan relevan; "
                "belum lengkap: " + ", ".join(missing) + ".",
                field="checklist",
            )
        else:
            _require(
                bool(reasons), "Alasan wajib diisi bila banding tidak relevan.", field="reasons"
            )
        data = {
            "checklist": answers,
            "relevant": relevant,
            "reasons": reasons,
            "technical_team": technical_team.code if relevant else None,
            "technical_team_name": technical_team.name if relevant else None,
        }
        outcome = Result.RELEVANT if relevant else Result.NOT_RELEVANT
        _settle(appeal, user=user, number=3, outcome=outcome, data=data, summary=_verified(data))
    return appeal


def _verified(data: dict) -> str:
    if data["relevant"]:
        return (
            f"Diverifikasi relevan; nota dinas kepada {data['technical_team_name']}, "
            "diketahui Kepala Balai"
        )
    return "Diverifikasi tidak relevan"


def _apply_verification(appeal: Appeal, data: dict) -> None:
    appeal.relevant = data["relevant"]
    appeal.relevance_reasons = data["reasons"]
    appeal.technical_team = (
        TechnicalTeam.objects.get(code=data["technical_team"]) if data["relevant"] else None
    )


# --- step 4: rejection ---------------------------------------------------------------------


def appeal_reject(*, appeal: Appeal, user: User, delivered_at: datetime, channel: str) -> Appeal:
    """Step 4: the rejection letter, issued with the reasons recorded at step 3, is delivered
    to the customer; the appeal closes."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 4)
        _require(channel in INTAKE_CHANNELS, "Saluran pengiriman tidak dikenal.", field="channel")
        _not_in_future(delivered_at, "delivered_at", "Tanggal dikirim")
        appeal.delivered_at = delivered_at
        appeal.delivery_channel = channel
        data = {
            "reasons": appeal.relevance_reasons,
            "delivered_at": delivered_at,
            "channel": channel,
        }
        _complete(
            appeal,
            user=user,
            number=4,
            outcome=Result.REJECTED,
            data=data,
            summary=f"Surat penolakan dikirim kepada pelanggan ({Channel(channel).label})",
        )
    return appeal


# --- steps 5-6: the panel ------------------------------------------------------------------


def _check_panel(appeal: Appeal, members: Sequence[User], chair: User | None) -> list[User]:
    unique = list(dict.fromkeys(members))
    _require(bool(unique), "Pilih sedikitnya satu anggota panel.", field="members")
    _require(
        chair is not None and chair in unique,
        "Ketua panel harus salah satu anggota.",
        field="chair",
    )
    involved = set(appeal.involved_persons.values_list("pk", flat=True))
    for person in unique:
        _require(
            person.is_active
            and person.organization_id is None
            and has_role(person, *PANEL_ELIGIBLE_ROLES),
            f"{person.display_name} bukan pegawai yang dapat duduk di panel.",
            field="members",
        )
        if person.pk in involved:
            raise Invalid(
                f"{person.display_name} terlibat dalam kegiatan atau keluhan semula sehingga "
                "tidak dapat duduk di Tim Panel Banding (ISO/IEC 17025 7.9.6).",
                code="involved_person",
                fields={"members": ["Pihak yang terlibat tidak dapat ditunjuk."]},
            )
    return unique


def _panel_data(members: Sequence[User], chair: User) -> dict:
    return {
        "members": [str(m.public_id) for m in members],
        "chair": str(chair.public_id),
        "names": [m.display_name for m in members],
        "chair_name": chair.display_name,
    }


def panel_propose(
    *, appeal: Appeal, user: User, members: Sequence[User], chair: User, note: str = ""
) -> Appeal:
    """Step 5: the technical team records the panel it proposes after coordinating with the
    head; the usulan is made from that record, and the step completes when it is issued."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 5)
        unique = _check_panel(appeal, members, chair)
        data = {**_panel_data(unique, chair), "note": _text(note)}
        _settle(
            appeal,
            user=user,
            number=5,
            outcome=Result.PROPOSED,
            data=data,
            summary=_proposed(data),
        )
    return appeal


def _proposed(data: dict) -> str:
    return "Usulan Tim Panel Banding: " + ", ".join(data["names"])


def panel_proposal(
    appeal: Appeal, *, people: Sequence[User] | None = None
) -> tuple[list[User], User | None]:
    """The members and chair of the latest proposal of step 5 (none before it). Read from
    the appeal's steps (prefetched by the appeal page: no query) and from `people` when the
    caller holds them (the panel candidates of the form), else one query for the users."""
    proposals = [s for s in appeal.steps.all() if s.number == 5 and s.completed_at is not None]
    step = max(proposals, key=lambda s: s.pk, default=None)
    if step is None:
        return [], None
    return _people_of(step.data, people)


def _people_of(data: dict, people: Sequence[User] | None = None) -> tuple[list[User], User | None]:
    wanted = {*data["members"], data["chair"]}
    if people is None:
        people = User.objects.filter(public_id__in=wanted)
    by_id = {str(u.public_id): u for u in people if str(u.public_id) in wanted}
    members = [by_id[i] for i in data["members"] if i in by_id]
    return members, by_id.get(data["chair"])


def panel_appoint(*, appeal: Appeal, user: User, members: Sequence[User], chair: User) -> Appeal:
    """Step 6: the head records the panel appointed, changing the proposal if needed; the
    surat tugas is made from that record, and the panel is seated when the step completes."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 6)
        unique = _check_panel(appeal, members, chair)
        proposed, proposed_chair = panel_proposal(appeal)
        changed = set(proposed) != set(unique) or proposed_chair != chair
        data = {**_panel_data(unique, chair), "changed": changed}
        _settle(
            appeal,
            user=user,
            number=6,
            outcome=Result.APPOINTED,
            data=data,
            summary=_appointed(data),
        )
    return appeal


def _appointed(data: dict) -> str:
    return (
        "Tim Panel Banding ditunjuk: "
        + ", ".join(data["names"])
        + (" (usulan diubah)" if data["changed"] else "")
    )


def _seat_panel(appeal: Appeal, data: dict) -> None:
    members, chair = _people_of(data)
    # Checked again: an account may have been deactivated or named as involved since.
    _check_panel(appeal, members, chair)
    now = timezone.now()
    PanelSeat.objects.bulk_create(
        PanelSeat(
            appeal=appeal,
            user=m,
            appointed_at=now,
            role=PanelRole.CHAIR if m == chair else PanelRole.MEMBER,
        )
        for m in members
    )


def panel_declare(*, appeal: Appeal, user: User) -> PanelSeat:
    """A panel member declares no conflict of interest; required before acting."""
    with transaction.atomic():
        appeal = _locked(appeal)
        seat = appeal.panel_seats.filter(user=user).first()
        if seat is None:
            raise Forbidden(
                "Hanya anggota Tim Panel Banding banding ini yang membuat pernyataan.",
                code="not_your_role",
            )
        if appeal.status != Status.OPEN:
            raise Conflict(f"Banding {appeal.number} sudah selesai.", code="appeal_closed")
        if seat.declared_at is not None:
            raise Conflict(
                "Anda sudah menyatakan bebas benturan kepentingan.", code="already_declared"
            )
        seat.declared_at = timezone.now()
        seat.save(update_fields=["declared_at"])
        record(
            action="panel.declared",
            actor=user,
            appeal=appeal,
            step=appeal.current_step,
            summary=f"{user.display_name} menyatakan bebas benturan kepentingan",
        )
    return seat


def _require_declared(appeal: Appeal, user: User) -> None:
    seat = appeal.panel_seats.filter(user=user).first()
    if seat is None or seat.declared_at is None:
        raise Forbidden(
            "Nyatakan dahulu bahwa Anda bebas benturan kepentingan sebelum bertindak sebagai "
            "anggota Tim Panel Banding.",
            code="declaration_required",
        )


# --- step 7: investigation -----------------------------------------------------------------


def investigation_note(
    *, appeal: Appeal, user: User, kind: str, text: str, occurred_at: datetime | None = None
) -> Note:
    """Step 7: a note of the investigation or of a contact with the customer."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 7)
        _require_declared(appeal, user)
        _require(kind in NoteKind.values, "Jenis catatan tidak dikenal.", field="kind")
        text = _text(text)
        _require(bool(text), "Isi catatan wajib diisi.", field="text")
        occurred_at = occurred_at or timezone.now()
        _not_in_future(occurred_at, "occurred_at", "Waktu kejadian")
        note = Note.objects.create(
            appeal=appeal, step=7, kind=kind, text=text, occurred_at=occurred_at, author=user
        )
        record(
            action=f"investigation.{kind}",
            actor=user,
            appeal=appeal,
            step=7,
            summary=f"{NoteKind(kind).label} dicatat",
            data={"note": note.pk},
        )
    return note


def investigation_report(
    *, appeal: Appeal, user: User, report: UploadedFile | None, summary: str = ""
) -> Appeal:
    """Step 7 completes when the investigation report is uploaded."""
    _may_report(user, _fresh(appeal))
    _require(report is not None, "Laporan hasil investigasi wajib diunggah.", field="report")
    checked = check_upload(report)
    with files_removed_on_error() as written:
        file = _write(appeal.public_id, checked, written)
        with transaction.atomic():
            appeal = _locked(appeal)
            _may_report(user, appeal)
            doc = _store(appeal, file, kind=DocumentKind.INVESTIGATION_REPORT, step=7, user=user)
            _complete(
                appeal,
                user=user,
                number=7,
                outcome=Result.INVESTIGATED,
                data={"report": str(doc.public_id), "summary": _text(summary)},
                summary="Laporan hasil investigasi diunggah",
            )
    return appeal


def _may_report(user: User, appeal: Appeal) -> None:
    access.require_turn(user, appeal, 7)
    _require_declared(appeal, user)


# --- step 9: the panel meeting -------------------------------------------------------------


def panel_decide(
    *,
    appeal: Appeal,
    user: User,
    meeting_at: datetime,
    place: str,
    attendance: Sequence[dict],
    minutes: str,
    decision: str,
    remedy: str = "",
) -> Appeal:
    """Step 9: the meeting, its attendance and minutes, and the decision, recorded; the
    attendance list and minutes are made from that record and signed by the chair, then the
    step completes and the decision goes to the head."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 9)
        _require_declared(appeal, user)
        _not_in_future(meeting_at, "meeting_at", "Waktu rapat")
        _require(bool(_text(place)), "Tempat rapat wajib diisi.", field="place")
        rows = [
            {
                "name": _text(r.get("name")),
                "role": _text(r.get("role")),
                "present": bool(r.get("present")),
            }
            for r in attendance
            if _text(r.get("name"))
        ]
        _require(
            any(r["present"] for r in rows),
            "Daftar hadir memuat sedikitnya satu peserta yang hadir.",
            field="attendance",
        )
        _require(bool(_text(minutes)), "Notulen rapat wajib diisi.", field="minutes")
        _require(
            decision in Decision.values,
            "Pilih keputusan: diterima, diterima sebagian atau ditolak.",
            field="decision",
        )
        remedy = _text(remedy)
        _require(
            decision == Decision.DISMISSED or bool(remedy),
            "Tuliskan tindakan perbaikan atau pemulihan yang diputuskan.",
            field="remedy",
        )
        data = {
            "meeting_at": meeting_at,
            "place": _text(place),
            "attendance": rows,
            "minutes": _text(minutes),
            "decision": decision,
            "remedy": remedy,
        }
        _settle(
            appeal,
            user=user,
            number=9,
            outcome=Result.DECIDED,
            data=data,
            summary=_decided(data),
        )
    return appeal


def _decided(data: dict) -> str:
    return f"Rapat panel memutuskan: {Decision(data['decision']).label}"


def _apply_decision(appeal: Appeal, data: dict) -> None:
    appeal.decision = data["decision"]
    appeal.decision_remedy = data["remedy"]


# What completing each record-first step applies to the appeal, and says of it.
_APPLY: dict[int, Callable[[Appeal, dict], None]] = {
    3: _apply_verification,
    5: lambda appeal, data: None,
    6: _seat_panel,
    9: _apply_decision,
}
_SUMMARY: dict[int, Callable[[dict], str]] = {
    3: _verified,
    5: _proposed,
    6: _appointed,
    9: _decided,
}


# --- step 10: approval ---------------------------------------------------------------------


def _require_not_involved(appeal: Appeal, user: User) -> None:
    if appeal.involved_persons.filter(pk=user.pk).exists():
        raise Forbidden(
            "Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat menyetujui "
            "keputusan banding ini (ISO/IEC 17025 7.9.6).",
            code="involved_person",
        )


def decision_approve(*, appeal: Appeal, user: User, disposition: str) -> Appeal:
    """Step 10: the head, having signed the decision letter, approves and dispositions it to
    the ketua tim PJTK and the technical team."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 10)
        _require_not_involved(appeal, user)
        disposition = _text(disposition)
        _require(bool(disposition), "Isi disposisi wajib diisi.", field="disposition")
        appeal.decision_approved_at = timezone.now()
        _complete(
            appeal,
            user=user,
            number=10,
            outcome=Result.APPROVED,
            data={"disposition": disposition, "to": ["Ketua Tim PJTK", "Bagian/Tim Teknis"]},
            summary="Keputusan disetujui Kepala Balai dan didisposisikan",
        )
    return appeal


def decision_return(*, appeal: Appeal, user: User, reasons: str) -> Appeal:
    """Step 10, the other way: back to the panel (a new occurrence of step 9). The decision
    letter of the returned decision is withdrawn (dicabut) and its draft discarded: the next
    decision gets a letter of its own."""
    from banding.letters.services import withdraw_outputs

    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 10)
        _require_not_involved(appeal, user)
        reasons = _text(reasons)
        _require(bool(reasons), "Alasan pengembalian wajib diisi.", field="reasons")
        withdrawn = withdraw_outputs(
            appeal=appeal,
            step=_open_occurrence(appeal, 10),
            user=user,
            reason=f"Keputusan dikembalikan kepada Tim Panel Banding: {reasons}",
        )
        data = {
            "reasons": reasons,
            "returned_decision": appeal.decision,
            "withdrawn": [str(x.public_id) for x in withdrawn],
        }
        appeal.decision = ""
        appeal.decision_remedy = ""
        _complete(
            appeal,
            user=user,
            number=10,
            outcome=Result.RETURNED,
            data=data,
            summary="Keputusan dikembalikan kepada Tim Panel",
        )
    return appeal


# --- steps 11-12 ---------------------------------------------------------------------------


def decision_disposition(*, appeal: Appeal, user: User, note: str) -> Appeal:
    """Step 11: the ketua tim passes the approved decision to the staff."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 11)
        note = _text(note)
        _require(bool(note), "Isi disposisi wajib diisi.", field="note")
        _complete(
            appeal,
            user=user,
            number=11,
            outcome=Result.DISPOSITIONED,
            data={"note": note},
            summary="Keputusan didisposisikan kepada staff PJTK",
        )
    return appeal


def appeal_close(
    *,
    appeal: Appeal,
    user: User,
    delivered_at: datetime,
    channel: str,
    cabinet: str,
    box: str,
    folder: str,
) -> Appeal:
    """Step 12: the decision, with the delivery letter that closes the case, delivered to the
    customer and the file archived."""
    with transaction.atomic():
        appeal = _locked(appeal)
        access.require_turn(user, appeal, 12)
        _require(channel in INTAKE_CHANNELS, "Saluran penyampaian tidak dikenal.", field="channel")
        _not_in_future(delivered_at, "delivered_at", "Tanggal disampaikan")
        for field, value, label in (
            ("cabinet", cabinet, "Lemari"),
            ("box", box, "Boks"),
            ("folder", folder, "Map"),
        ):
            _require(bool(_text(value)), f"{label} arsip wajib diisi.", field=field)
        appeal.delivered_at = delivered_at
        appeal.delivery_channel = channel
        appeal.archive_cabinet = _text(cabinet)
        appeal.archive_box = _text(box)
        appeal.archive_folder = _text(folder)
        data = {
            "delivered_at": delivered_at,
            "channel": channel,
            "cabinet": _text(cabinet),
            "box": _text(box),
            "folder": _text(folder),
        }
        _complete(
            appeal,
            user=user,
            number=12,
            outcome=Result.CLOSED,
            data=data,
            summary="Keputusan disampaikan kepada pelanggan; berkas diarsipkan",
        )
    return appeal


# --- documents -----------------------------------------------------------------------------


def document_add(*, appeal: Appeal, user: User, upload: UploadedFile, kind: str) -> Document:
    """An extra document on an open appeal, by PJTK staff or whoever acts on its step now."""
    _may_add_document(user, _fresh(appeal))
    _require(
        kind in DocumentKind.values and kind != DocumentKind.INVESTIGATION_REPORT,
        "Jenis dokumen tidak dikenal.",
        field="kind",
    )
    checked = check_upload(upload)
    with files_removed_on_error() as written:
        file = _write(appeal.public_id, checked, written)
        with transaction.atomic():
            appeal = _locked(appeal)
            _may_add_document(user, appeal)
            return _store(appeal, file, kind=kind, step=appeal.current_step, user=user)


def _may_add_document(user: User, appeal: Appeal) -> None:
    if appeal.status != Status.OPEN:
        raise Conflict(
            f"Banding {appeal.number} sudah ditutup; berkasnya tidak dapat ditambah.",
            code="appeal_closed",
        )
    step = sop.step(appeal.current_step)
    # plays() also refuses deactivated accounts, which a bare role check would not.
    as_staff = access.plays(user, appeal, sop.Actor.STF)
    if not (as_staff or access.plays(user, appeal, step.actor)):
        raise Forbidden(
            "Dokumen ditambahkan oleh staff PJTK atau pelaksana langkah yang sedang berjalan.",
            code="not_your_role",
        )
    if not as_staff and step.actor == sop.Actor.TPB:
        _require_declared(appeal, user)  # adding evidence is acting as a panel member
