"""The rows and files of new appeals, whoever enters them (staff intake, the portal, the
API's batch): the register numbers, the uploads stored, and everything written at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from banding.accounts.models import CustomerOrganization, User
from banding.appeals import hooks, relations
from banding.appeals.models import (
    Appeal,
    Document,
    DocumentKind,
    RegisterSequence,
    Step,
)
from banding.appeals.services.shared import (
    WrittenFile,
    current_fields,
    document_added,
    document_row,
    write_file,
)
from banding.appeals.uploads import CheckedFile, check_upload, files_removed_on_error
from banding.audit.log import Entry, record_each
from banding.sop import definition as sop
from banding.sop.definition import Result


def next_numbers(year: int, count: int) -> list[tuple[int, str]]:
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
class IntakeFiles:
    """An intake's uploads, checked: the letter and the attachments."""

    letter: CheckedFile
    attachments: list[CheckedFile]


@dataclass(frozen=True)
class StoredIntake:
    """An intake's uploads in storage under the new appeal's public id."""

    public_id: uuid.UUID
    letter: WrittenFile
    attachments: list[WrittenFile]


def checked_files(letter: UploadedFile, attachments: Sequence[UploadedFile]) -> IntakeFiles:
    return IntakeFiles(check_upload(letter), [check_upload(f) for f in attachments])


@contextmanager
def intake_files(intakes: Sequence[IntakeFiles]) -> Iterator[list[StoredIntake]]:
    """The intakes' checked files stored, each under its new appeal's public id, before the
    transaction, which the block then runs in; the files are removed again if it fails."""
    with files_removed_on_error() as written:
        stored = []
        for files in intakes:
            public_id = uuid.uuid4()
            stored.append(
                StoredIntake(
                    public_id,
                    write_file(public_id, files.letter, written),
                    [write_file(public_id, c, written) for c in files.attachments],
                )
            )
        with transaction.atomic():
            yield stored


@dataclass
class NewAppeal:
    """The rows of one intake before they are written: `steps` done but the last, which
    opens; `announce(number)` the event that records it."""

    stored: StoredIntake
    organization: CustomerOrganization
    fields: dict
    steps: list[Step]
    announce: Callable[[str], Entry]
    involved_persons: Sequence[User] = ()


def write_intakes(*, user: User, now: datetime, intakes: Sequence[NewAppeal]) -> list[Appeal]:
    """The rows of one or more intakes (staff or online), inside their transaction, in a
    number of statements that does not grow with theirs: the year's numbers taken at once,
    each appeal written once with the columns of its open step, the steps in one insert,
    the documents in one, the events (each appeal's `announce(number)` and one per
    document) in one batch, and the notices and mails of everyone told (hooks.announce) in
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
            **current_fields(new.steps[-1]),
        )
        for new, (sequence, number) in zip(intakes, next_numbers(year, len(intakes)), strict=True)
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
                document_row(
                    appeal,
                    new.stored.letter,
                    kind=DocumentKind.APPEAL_LETTER,
                    step=step_number,
                    user=user,
                ),
                *(
                    document_row(
                        appeal, file, kind=DocumentKind.SUPPORTING, step=step_number, user=user
                    )
                    for file in new.stored.attachments
                ),
            ]
        )
    Step.objects.bulk_create([step for new in intakes for step in new.steps])
    # A letter received earlier and recorded now: its steps reach back into months whose
    # figures may be frozen already.
    hooks.figures_changed(since=min(step.started_at for new in intakes for step in new.steps))
    Document.objects.bulk_create([doc for docs in documents for doc in docs])
    record_each(
        [
            (
                appeal,
                [new.announce(appeal.number), *(document_added(doc, user) for doc in docs)],
            )
            for appeal, new, docs in zip(appeals, intakes, documents, strict=True)
        ]
    )
    submitted = sop.reached_by(sop.FIRST_STEP, Result.SUBMITTED)
    assert submitted is not None  # the SOP: a submission reaches the first milestone
    hooks.announce(
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
