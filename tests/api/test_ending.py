"""The API: the duplicate warning of an intake (409 duplicate_suspected with the matching
appeals, accepted with confirm_new), the withdrawal and the closure as a duplicate."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from banding.appeals.models import Appeal, Status
from banding.audit.models import Event
from tests.api.test_flow import intake
from tests.factories import pdf, register, walk
from tests.portal.test_step2_and_api import submit_data
from tests.state import capture


def test_an_intake_of_an_open_complaint_answers_409_with_the_matches(api, p):
    first = register(p, complaint_reference="KEL/2026/017")
    before = capture()
    caller = api(p.staff)
    body = {
        "organization": str(p.org.public_id),
        "contact_name": "Budi",
        "channel": "email",
        "received_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "complaint_reference": "kel/2026/017",
        "complaint_outcome_date": timezone.localdate().isoformat(),
        "service_type": "pengujian",
        "grounds": "Alasan.",
        "remedy_sought": "Uji ulang.",
        "no_involved_reason": "Tidak ada.",
    }
    r = caller.upload("/appeals", {**body, "letter": pdf()})
    assert r.status_code == 409
    answer = r.json()
    assert answer["code"] == "duplicate_suspected"
    assert [(d["number"], d["public_id"], d["status"]) for d in answer["duplicates"]] == [
        (first.number, str(first.public_id), "open")
    ]
    assert answer["fields"] == {"confirm_new": [answer["message"]]}
    assert capture() == before

    r = caller.upload("/appeals", {**body, "letter": pdf(), "confirm_new": "true"})
    assert r.status_code == 201, r.json()
    created = Appeal.objects.get(public_id=r.json()["id"])
    event = Event.objects.get(appeal=created, action="appeal.registered")
    assert event.data["confirmed_new_beside"] == [first.number]


def test_a_customer_submission_of_an_open_complaint_answers_409(api, p):
    caller = api(p.customer)
    assert caller.upload("/appeals/submit", submit_data()).status_code == 201
    r = caller.upload("/appeals/submit", submit_data())
    assert r.status_code == 409 and r.json()["code"] == "duplicate_suspected"
    r = caller.upload("/appeals/submit", submit_data(confirm_new="true"))
    assert r.status_code == 201


def test_the_customer_withdraws_its_own_appeal(api, p):
    appeal = walk(p, register(p), 5)
    r = api(p.customer).post(f"/appeals/{appeal.public_id}/withdraw", {"reason": "Damai."})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "withdrawn"
    appeal.refresh_from_db()
    assert appeal.status == Status.WITHDRAWN


def test_another_organisations_customer_cannot_withdraw(api, p):
    appeal = register(p)
    before = capture()
    r = api(p.customer_other).post(f"/appeals/{appeal.public_id}/withdraw", {})
    assert r.status_code == 404
    assert capture() == before


def test_staff_record_a_withdrawal_letter_with_its_date(api, p):
    appeal = register(p)
    caller = api(p.staff)
    before = capture()
    r = caller.post(f"/appeals/{appeal.public_id}/withdraw", {"reason": "Surat."})
    assert r.status_code == 400
    assert r.json()["fields"] == {"letter_date": ["Tanggal surat pencabutan wajib diisi."]}
    assert capture() == before
    r = caller.post(
        f"/appeals/{appeal.public_id}/withdraw",
        {"letter_date": timezone.localdate().isoformat(), "reason": "Surat."},
    )
    assert r.status_code == 200, r.json()
    appeal.refresh_from_db()
    assert appeal.status == Status.WITHDRAWN
    assert appeal.steps.get(outcome="withdrawn").data["by"] == "letter"


def test_withdrawing_a_closed_appeal_is_a_conflict(api, p):
    appeal = walk(p, register(p), 99)
    before = capture()
    r = api(p.customer).post(f"/appeals/{appeal.public_id}/withdraw", {})
    assert r.status_code == 409
    assert r.json()["code"] == "appeal_closed"
    assert capture() == before


def test_staff_close_a_duplicate_by_number_or_id(api, p):
    original, appeal = register(p), register(p)
    r = api(p.head).post(
        f"/appeals/{appeal.public_id}/close-duplicate",
        {"original": str(original.public_id), "reason": "Sama."},
    )
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "duplicate"
    appeal.refresh_from_db()
    assert appeal.duplicate_of == original


def test_duplicate_refusals_answer_with_their_codes_and_write_nothing(api, p):
    other = register(p, organization=p.org_other)
    appeal, original = register(p), register(p)
    caller = api(p.staff)
    before = capture()
    for payload, status, code in (
        ({"original": other.number, "reason": "Sama."}, 400, "duplicate_other_organization"),
        ({"original": appeal.number, "reason": "Sama."}, 400, "duplicate_self"),
        ({"original": "BDG/1999/0001", "reason": "Sama."}, 400, "not_found"),
        ({"original": original.number, "reason": ""}, 400, "invalid"),
    ):
        r = caller.post(f"/appeals/{appeal.public_id}/close-duplicate", payload)
        assert (r.status_code, r.json()["code"]) == (status, code), r.json()
    r = api(p.customer).post(
        f"/appeals/{appeal.public_id}/close-duplicate",
        {"original": original.number, "reason": "Sama."},
    )
    assert (r.status_code, r.json()["code"]) == (403, "not_your_role")
    assert capture() == before


def test_a_duplicate_of_a_duplicate_is_refused(api, p):
    original, first, second = register(p), register(p), register(p)
    caller = api(p.staff)
    r = caller.post(
        f"/appeals/{first.public_id}/close-duplicate",
        {"original": original.number, "reason": "Sama."},
    )
    assert r.status_code == 200
    before = capture()
    r = caller.post(
        f"/appeals/{second.public_id}/close-duplicate",
        {"original": first.number, "reason": "Sama."},
    )
    assert (r.status_code, r.json()["code"]) == (400, "duplicate_chain")
    assert capture() == before


def test_intake_through_the_api_helper_still_registers(api, p):
    # The flow tests' helper: a first intake of its complaint needs no confirmation.
    assert intake(api, p)["number"]
