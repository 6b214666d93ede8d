"""The duplicate warning at intake (services.intake): an open appeal of the same organisation
with the same complaint reference is shown, and the intake waits for the confirmation that
it is a new appeal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banding.appeals import services
from banding.appeals.models import Appeal, Status
from banding.appeals.services.duplicates import DuplicateSuspected, open_duplicates
from banding.audit.models import Event
from tests.factories import pdf, register
from tests.portal.helpers import submit
from tests.state import refused


def warning(reference: str, *numbers: str) -> str:
    return (
        f"Sudah ada banding yang masih berjalan untuk nomor keluhan {reference}: "
        f'{", ".join(numbers)}. Bila ini memang banding baru, centang "Ini banding baru" lalu '
        "kirim lagi."
    )


def test_a_staff_intake_of_an_open_complaint_waits_for_the_confirmation(p):
    first = register(p, complaint_reference="KEL/2026/017")
    error = refused(
        lambda: register(p, complaint_reference=" kel/2026/017 ", confirm_new=False),
        DuplicateSuspected,
        warning("kel/2026/017", first.number),
        "duplicate_suspected",
    )
    assert error.status == 409
    assert error.matches == [first]
    body = error.as_dict()
    assert body["code"] == "duplicate_suspected"
    assert body["fields"] == {"confirm_new": [error.message]}
    assert [(d["number"], d["status"], d["status_label"]) for d in body["duplicates"]] == [
        (first.number, "open", "Berjalan")
    ]

    second = register(p, complaint_reference="KEL/2026/017", confirm_new=True)
    event = Event.objects.get(appeal=second, action="appeal.registered")
    assert event.data["confirmed_new_beside"] == [first.number]
    assert event.summary.endswith(f"; dikonfirmasi sebagai banding baru di samping {first.number}")


def test_a_customer_submission_of_an_open_complaint_waits_for_the_confirmation(p):
    first = submit(p, complaint_reference="ADU-7")
    refused(
        lambda: submit(p, complaint_reference="adu-7", confirm_new=False),
        DuplicateSuspected,
        warning("adu-7", first.number),
        "duplicate_suspected",
    )
    second = submit(p, complaint_reference="adu-7", confirm_new=True)
    event = Event.objects.get(appeal=second, action="appeal.submitted")
    assert event.data["confirmed_new_beside"] == [first.number]


def test_no_warning_for_another_organisation_a_closed_appeal_or_another_reference(p):
    register(p, organization=p.org_other, complaint_reference="KEL/1")
    ended = register(p, complaint_reference="KEL/2")
    Appeal.objects.filter(pk=ended.pk).update(status=Status.WITHDRAWN)
    register(p, complaint_reference="KEL/3")
    for reference in ("KEL/1", "KEL/2", "KEL/33"):
        appeal = register(p, complaint_reference=reference, confirm_new=False)
        event = Event.objects.get(appeal=appeal, action="appeal.registered")
        assert "confirmed_new_beside" not in event.data


def test_a_batch_names_each_suspected_duplicate_and_registers_none(p):
    first = register(p, complaint_reference="KEL/9")
    batch = [
        services.Intake(
            contact_name="Budi",
            channel="email",
            received_at=first.received_at,
            complaint_reference=reference,
            complaint_outcome_date=first.complaint_outcome_date,
            service_type="pengujian",
            grounds="Alasan.",
            remedy_sought="Uji ulang.",
            letter=pdf(),
            organization=p.org,
            no_involved_reason="Tidak ada.",
            confirm_new=confirm,
        )
        for reference, confirm in (("KEL/8", False), ("kel/9", False))
    ]
    before = Appeal.objects.count()
    with pytest.raises(DuplicateSuspected) as info:
        services.appeals_register(user=p.staff, intakes=batch)
    assert Appeal.objects.count() == before
    assert list(info.value.fields) == ["appeals.1.confirm_new"]
    assert info.value.matches == [first]


def test_the_lookup_reads_the_index_of_organisation_reference_and_status(p):
    register(p, complaint_reference="KEL/5")
    with CaptureQueriesContext(connection) as captured:
        assert open_duplicates(p.org.pk, "kel/5")
    (sql,) = [q["sql"] for q in captured.captured_queries]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row) for row in cursor.fetchall())
        else:
            # On a one-row table PostgreSQL's planner may pick any index of equal cost. With
            # the table's other plain indexes set aside (DDL is transactional: the test's
            # rollback restores them) the lookup must still read appeal_reference_status:
            # its expression, upper(complaint_reference), is the index's.
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index "
                "WHERE indrelid = 'appeals_appeal'::regclass AND NOT indisunique "
                "AND NOT indisprimary AND indexrelid::regclass::text <> 'appeal_reference_status'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(row[0] for row in cursor.fetchall())
    assert "appeal_reference_status" in plan
