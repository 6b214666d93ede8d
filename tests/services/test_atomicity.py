"""A failed action leaves nothing behind: no row, no event, no register number, no file.

These run with real transactions (transaction=True), so the service's own atomic block is the
outermost one and its rollback is the database's, not a test savepoint's.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from banding.appeals import services
from banding.appeals.models import Appeal, DocumentKind, RegisterSequence
from banding.audit import log
from banding.errors import Invalid
from tests.factories import PNG_BYTES, pdf, register, walk
from tests.state import assert_stands_at, audit_writers_replaced, capture, stored_files

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Boom(Exception):
    """Stands for any failure inside the transaction (database error, crash, bug)."""


def fail_on(monkeypatch, action: str, *, nth: int = 1) -> None:
    """Make the audit log raise on the `nth` event with `action`: after the domain rows and
    any file of that action are written, before the transaction commits."""
    seen = 0

    def check(actions: list[str]) -> None:
        nonlocal seen
        for each in actions:
            if each == action:
                seen += 1
                if seen == nth:
                    assert stored_files(), "the failure should come after a file was written"
                    raise Boom(action)

    def record(**kwargs):
        check([kwargs["action"]])
        return log.record(**kwargs)

    def record_all(appeal, entries):
        check([entry.action for entry in entries])
        return log.record_all(appeal, entries)

    def record_each(batches, **kwargs):
        check([entry.action for _, entries in batches for entry in entries])
        return log.record_each(batches, **kwargs)

    audit_writers_replaced(
        monkeypatch, record=record, record_all=record_all, record_each=record_each
    )


def attachments() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png"),
        pdf("lampiran.pdf"),
    ]


def test_an_invalid_second_attachment_refuses_the_whole_intake(p):
    before = capture()
    bad = [pdf("lampiran-1.pdf"), pdf("lampiran-2.pdf", b"bukan pdf")]

    with pytest.raises(Invalid) as info:
        register(p, attachments=bad)

    assert info.value.code == "upload_type"
    assert capture() == before
    assert not RegisterSequence.objects.exists()
    assert register(p).sequence == 1


def test_a_failure_inside_the_intake_transaction_rolls_back_rows_number_and_files(p, monkeypatch):
    assert not connection.in_atomic_block  # the service's transaction is the real one
    first = register(p)
    before = capture()
    fail_on(monkeypatch, "document.added", nth=3)  # letter and photo stored, PDF being stored

    with pytest.raises(Boom):
        register(p, attachments=attachments())

    assert capture() == before
    assert stored_files() == before.files
    assert RegisterSequence.objects.get().last == first.sequence
    monkeypatch.undo()
    assert register(p).sequence == first.sequence + 1  # gapless


def test_a_failure_in_the_very_first_intake_of_a_year_leaves_no_sequence(p, monkeypatch):
    fail_on(monkeypatch, "document.added")

    with pytest.raises(Boom):
        register(p)

    assert not Appeal.objects.exists()
    assert not RegisterSequence.objects.exists()
    assert stored_files() == frozenset()
    monkeypatch.undo()
    assert register(p).number.endswith("/0001")


def test_a_failure_while_completing_step_7_keeps_the_investigation_open(p, monkeypatch):
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[0])
    before = capture()
    fail_on(monkeypatch, "step.7.investigated")

    with pytest.raises(Boom):
        services.investigation_report(appeal=appeal, user=p.panel[0], report=pdf("laporan.pdf"))

    assert capture() == before
    assert_stands_at(appeal, 7)


def test_a_failure_while_adding_a_document_leaves_no_file(p, monkeypatch):
    appeal = register(p)
    before = capture()
    fail_on(monkeypatch, "document.added")

    with pytest.raises(Boom):
        services.document_add(
            appeal=appeal, user=p.staff, upload=pdf(), kind=DocumentKind.SUPPORTING
        )

    assert capture() == before
