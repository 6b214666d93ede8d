"""The corrective actions' API: list, an appeal's, add, complete, check; refusals as JSON."""

from __future__ import annotations

from banding.corrective.models import CorrectiveAction
from banding.corrective.rules import MAY_NOT_ADD, NOT_LEAD
from banding.corrective.services import UNKNOWN_OWNER
from tests.api.conftest import api  # noqa: F401 - the fixture
from tests.corrective.conftest import add


def test_the_lead_adds_the_owner_completes_and_the_lead_checks(api, p, decided):  # noqa: F811
    lead, owner = api(p.lead), api(p.tech)
    body = {"description": "Validasi ulang metode.", "owner": str(p.tech.public_id), "due_days": 5}
    created = lead.post(f"/appeals/{decided.public_id}/corrective-actions", body)
    assert created.status_code == 201, created.content
    action_id = created.json()["id"]
    assert created.json()["status"] == "terbuka"
    done = owner.post(f"/corrective-actions/{action_id}/complete", {"note": "Divalidasi."})
    assert done.json()["status"] == "selesai"
    refused = owner.post(f"/corrective-actions/{action_id}/check", {"effective": True, "note": "x"})
    assert refused.status_code == 403 and refused.json()["message"] == NOT_LEAD
    checked = lead.post(
        f"/corrective-actions/{action_id}/check", {"effective": True, "note": "Efektif."}
    )
    assert checked.json()["status"] == "efektif"
    listed = lead.get("/corrective-actions", {"status": "efektif"})
    assert [i["id"] for i in listed.json()["items"]] == [action_id]
    assert len(owner.get(f"/appeals/{decided.public_id}/corrective-actions").json()) == 1


def test_the_head_may_not_add(api, p, decided):  # noqa: F811
    body = {"description": "x", "owner": str(p.tech.public_id), "due_days": 5}
    response = api(p.head).post(f"/appeals/{decided.public_id}/corrective-actions", body)
    assert response.status_code == 403
    assert response.json() == {"code": "not_your_role", "message": MAY_NOT_ADD, "fields": {}}
    assert not CorrectiveAction.objects.exists()


def test_an_unknown_owner_is_a_400(api, p, decided):  # noqa: F811
    body = {"description": "x", "owner": "00000000-0000-0000-0000-000000000000", "due_days": 5}
    response = api(p.lead).post(f"/appeals/{decided.public_id}/corrective-actions", body)
    assert response.status_code == 400
    assert response.json()["fields"] == {"owner": [UNKNOWN_OWNER]}


def test_other_staff_list_only_their_own_and_customers_none(api, p, decided):  # noqa: F811
    add(p, decided)
    add(p, decided, owner=str(p.staff.public_id))
    assert api(p.tech).get("/corrective-actions").json()["count"] == 1
    assert api(p.auditor).get("/corrective-actions").json()["count"] == 2
    assert api(p.customer).get("/corrective-actions").status_code == 403


def test_an_action_of_another_is_not_found(api, p, decided):  # noqa: F811
    action = add(p, decided)
    response = api(p.tech_other).post(f"/corrective-actions/{action.public_id}/complete", {})
    assert response.status_code == 404
