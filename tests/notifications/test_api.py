"""GET /api/v1/notifications and POST /api/v1/notifications/{id}/read: one's own only."""

from __future__ import annotations

import uuid

from django.test import Client

from banding.accounts.models import User
from banding.accounts.services import api_token_create
from banding.appeals.sla import sla_sweep
from banding.notifications.models import Notification
from tests.factories import register

BASE = "/api/v1/notifications"


def caller(user: User) -> Client:
    _, raw = api_token_create(user=user, name="uji")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_list_is_the_callers_own_unread_first(p, notices):
    old, read, new = notices(p.lead, 3)
    notices(p.head, 2)
    api = caller(p.lead)
    api.post(f"{BASE}/{read.public_id}/read")

    response = api.get(BASE)

    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["unread"], data["limit"], data["offset"]) == (3, 2, 25, 0)
    assert [i["id"] for i in data["items"]] == [str(n.public_id) for n in (new, old, read)]
    item = data["items"][0]
    assert item == {
        "id": str(new.public_id),
        "kind": "step_at_risk",
        "kind_label": "Hampir jatuh tempo",
        "message": new.message,
        "appeal": {"id": str(new.appeal.public_id), "number": new.appeal.number},
        "step": None,
        "created_at": item["created_at"],
        "read_at": None,
    }


def test_the_list_filters_unread_and_pages(p, notices):
    made = notices(p.lead, 4)
    api = caller(p.lead)
    api.post(f"{BASE}/{made[0].public_id}/read")

    unread = api.get(BASE, {"unread": "true"}).json()
    paged = api.get(BASE, {"limit": 2, "page": 2}).json()

    assert unread["count"] == 3
    assert {i["read_at"] for i in unread["items"]} == {None}
    assert (paged["count"], paged["offset"], len(paged["items"])) == (4, 2, 2)


def test_reading_one_returns_it_read(p, notices):
    notice = notices(p.lead)[0]

    response = caller(p.lead).post(f"{BASE}/{notice.public_id}/read")

    assert response.status_code == 200
    assert response.json()["id"] == str(notice.public_id)
    assert response.json()["read_at"] is not None
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_step_of_a_notice_is_its_sop_number(p):
    step = register(p).steps.get(completed_at__isnull=True)
    sla_sweep(step.due_at)

    items = caller(p.lead).get(BASE).json()["items"]

    assert [(i["kind"], i["step"]) for i in items] == [("step_overdue", 3), ("step_assigned", 3)]


def test_someone_elses_or_an_unknown_notice_is_not_found(p, notices):
    theirs = notices(p.head)[0]
    api = caller(p.lead)

    for public_id in (theirs.public_id, uuid.uuid4(), "bukan-uuid"):
        response = api.post(f"{BASE}/{public_id}/read")
        assert response.status_code == 404, public_id
        assert response.json()["code"] == "not_found"
    assert api.post(f"{BASE}/{theirs.public_id}/read").json()["message"] == (
        "Notifikasi tidak ditemukan."
    )
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_callers_are_refused(db):
    assert Client().get(BASE).status_code == 401
    assert Client().post(f"{BASE}/{uuid.uuid4()}/read").status_code == 401
