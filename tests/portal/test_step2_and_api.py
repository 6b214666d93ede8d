"""Step 2 of an online appeal on the staff appeal page and through the API, and online
submission through the API (POST /api/v1/appeals/submit) with the stage in customer words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from banding.appeals import access
from banding.appeals.models import Appeal
from banding.appeals.views.common import STAFF_ONLY
from banding.sop import definition as sop
from banding.sop.definition import Actor
from tests.factories import pdf, register, walk
from tests.portal.helpers import record, submit
from tests.state import capture
from tests.web.helpers import action_url, detail_url

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)
NOT_STAFF = access.actor_refusal(Actor.STF, 2)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


# --- the staff action "catat" (step 2) -----------------------------------------------------


def test_the_record_form_is_on_the_staff_page_at_step_2(client, p):
    appeal = submit(p)
    client.force_login(p.staff)

    html = client.get(detail_url(appeal)).content.decode()

    assert action_url(appeal, "catat") in html
    assert "Catat banding" in html


def test_the_record_form_is_not_offered_to_the_lead(client, p):
    appeal = submit(p)
    client.force_login(p.lead)

    assert action_url(appeal, "catat") not in client.get(detail_url(appeal)).content.decode()


def test_staff_record_an_online_appeal_from_the_page(client, p):
    appeal = submit(p)
    client.force_login(p.staff)

    response = client.post(
        action_url(appeal, "catat"),
        {"involved_persons": [p.tech.pk], "involved_note": "Analis lapangan"},
    )

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.current_step == 3
    assert list(appeal.involved_persons.all()) == [p.tech]
    page = client.get(response["Location"]).content.decode()
    assert "Banding BDG/2026/0001 dicatat dan diteruskan kepada Ketua Tim PJTK" in page


# Roles that may open the appeal at step 2 (a technical user has no part in it yet: refused
# before the step, need to know, tests/web/test_need_to_know.py).
@pytest.mark.parametrize("who", ["lead", "head", "auditor"])
def test_another_role_may_not_record_and_nothing_changes(client, p, who):
    appeal = submit(p)
    before = capture()
    client.force_login(getattr(p, who))

    response = client.post(action_url(appeal, "catat"), {})

    assert response.status_code == 403
    assert NOT_STAFF in response.content.decode()
    assert capture() == before


def test_a_customer_may_not_record(client, p):
    appeal = submit(p)
    client.force_login(p.customer)

    response = client.post(action_url(appeal, "catat"), {})

    assert response.status_code == 403
    assert STAFF_ONLY in response.content.decode()


def test_recording_an_appeal_the_staff_registered_is_a_conflict(client, p):
    appeal = register(p)
    client.force_login(p.staff)

    response = client.post(action_url(appeal, "catat"), {})

    assert response.status_code == 409
    assert "bukan langkah 2 (Penerimaan dan pencatatan)" in response.content.decode()


# --- the API -------------------------------------------------------------------------------


def submit_data(**overrides) -> dict:
    data = {
        "complaint_reference": "KEL/2026/017",
        "complaint_outcome_date": "2026-02-20",
        "service_type": "pengujian",
        "grounds": "Hasil uji tidak sesuai.",
        "remedy_sought": "Pengujian ulang.",
        "letter": pdf(),
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def test_a_customer_submits_through_the_api_and_reads_the_stage(api, p):
    caller = api(p.customer)

    response = caller.upload("/appeals/submit", submit_data(attachments=[pdf("lampiran.pdf")]))

    assert response.status_code == 201, response.json()
    body = response.json()
    appeal = Appeal.objects.get(public_id=body["id"])
    assert (body["number"], body["channel"]) == ("BDG/2026/0001", "portal")
    assert body["current_step"]["number"] == 2
    assert (body["stage"], body["stage_label"]) == ("diterima", "Diterima")
    assert (body["next_stage"], body["next_stage_label"]) == ("diverifikasi", "Diverifikasi")
    assert body["next_milestone_expected_at"] == "2026-03-03T03:15:00Z"  # 10:15 WIB
    assert appeal.documents.count() == 2
    again = caller.get(f"/appeals/{appeal.public_id}").json()
    assert again["stage"] == "diterima"


def test_the_api_refuses_calibration_proficiency_testing_with_the_sops_reason(api, p):
    response = api(p.customer).upload("/appeals/submit", submit_data(service_type="up_kalibrasi"))

    assert response.status_code == 400
    assert response.json() == {
        "code": "calibration_pt_excluded",
        "message": sop.CALIBRATION_PT_EXCEPTION,
        "fields": {"service_type": [sop.CALIBRATION_PT_EXCEPTION]},
    }
    assert not Appeal.objects.exists()


def test_staff_cannot_submit_as_a_customer_through_the_api(api, p):
    response = api(p.staff).upload("/appeals/submit", submit_data())

    assert response.status_code == 403
    assert response.json()["message"] == access.actor_refusal(Actor.PEL, 1)
    assert not Appeal.objects.exists()


def test_the_list_carries_the_stage_of_every_appeal(api, p):
    walk(p, register(p), 99)
    submit(p)

    items = api(p.customer).get("/appeals").json()["items"]

    assert [(i["stage"], i["next_stage"]) for i in items] == [
        ("diterima", "diverifikasi"),
        ("selesai", None),
    ]
    assert items[1]["next_milestone_expected_at"] is None


def test_staff_record_through_the_api(api, p):
    appeal = submit(p)

    response = api(p.staff).post(
        f"/appeals/{appeal.public_id}/record",
        {"involved_persons": [str(p.tech.public_id)], "involved_note": "Analis"},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["current_step"]["number"] == 3
    assert response.json()["involved_persons"] == [
        {"id": str(p.tech.public_id), "name": p.tech.display_name}
    ]


@pytest.mark.parametrize("who", ["lead", "customer"])
def test_others_may_not_record_through_the_api(api, p, who):
    appeal = submit(p)

    response = api(getattr(p, who)).post(f"/appeals/{appeal.public_id}/record", {})

    assert response.status_code == 403
    assert response.json() == {"code": "not_your_role", "message": NOT_STAFF, "fields": {}}


def test_a_recorded_appeal_cannot_be_recorded_twice_through_the_api(api, p):
    appeal = record(p, submit(p))

    response = api(p.staff).post(f"/appeals/{appeal.public_id}/record", {})

    assert response.status_code == 409
    assert response.json()["code"] == "wrong_step"
