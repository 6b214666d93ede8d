"""Issue 18 item 4 through the API: POST /appeals/{id}/take and /release call the same
services as the pages; refusals are JSON 403/409 and write nothing."""

from __future__ import annotations

from banding.accounts.roles import Role
from tests.factories import make_user, register, walk
from tests.portal.helpers import submit
from tests.state import capture, open_step


def test_take_and_release_through_the_api(api, p):
    appeal = submit(p)
    url = f"/appeals/{appeal.public_id}"

    taken = api(p.staff).post(f"{url}/take", {"step": 2})

    assert taken.status_code == 200, taken.json()
    body = taken.json()
    assert body["number"] == appeal.number
    assert body["step"]["number"] == 2
    assert body["taken_by"] == {"id": str(p.staff.public_id), "name": "Staff"}
    assert body["taken_at"]
    assert open_step(appeal).taken_by == p.staff

    released = api(p.staff).post(f"{url}/release")  # no body: the open step
    assert released.status_code == 200
    assert released.json()["taken_by"] is None and released.json()["taken_at"] is None
    assert open_step(appeal).taken_by is None


def test_the_api_refuses_with_json_and_writes_nothing(api, p):
    maria = make_user("maria", Role.PJTK_STAFF, first_name="Maria", last_name="Ulfa")
    appeal = submit(p)
    url = f"/appeals/{appeal.public_id}"
    assert api(maria).post(f"{url}/take").status_code == 200
    before = capture()

    again = api(p.staff).post(f"{url}/take")
    wrong_role = api(p.lead).post(f"{url}/take")
    stale = api(p.staff).post(f"{url}/take", {"step": 3})
    not_taker = api(p.staff).post(f"{url}/release")
    customer = api(p.customer).post(f"{url}/take")
    other_customer = api(p.customer_other).post(f"{url}/take")

    assert (again.status_code, again.json()["code"]) == (409, "already_taken")
    assert "sudah dikerjakan oleh Maria Ulfa sejak" in again.json()["message"]
    assert (wrong_role.status_code, wrong_role.json()["code"]) == (403, "not_your_role")
    assert (stale.status_code, stale.json()["code"]) == (409, "wrong_step")
    assert (not_taker.status_code, not_taker.json()["code"]) == (403, "not_taker")
    assert (customer.status_code, customer.json()["code"]) == (403, "not_your_role")
    assert other_customer.status_code == 404  # another organisation's appeal is not there
    assert capture() == before


def test_the_api_refuses_the_panels_step_and_a_closed_appeal(api, p):
    panel = walk(p, register(p), 7)
    closed = walk(p, register(p), 13)
    before = capture()
    shared = api(p.panel[0]).post(f"/appeals/{panel.public_id}/take")
    ended = api(p.staff).post(f"/appeals/{closed.public_id}/take")
    nothing = api(p.staff).post(f"/appeals/{closed.public_id}/release")
    assert (shared.status_code, shared.json()["code"]) == (409, "not_shared")
    assert (ended.status_code, ended.json()["code"]) == (409, "appeal_closed")
    assert (nothing.status_code, nothing.json()["code"]) == (409, "appeal_closed")
    assert capture() == before


def test_an_anonymous_caller_is_refused(api, p):
    appeal = submit(p)
    assert api().post(f"/appeals/{appeal.public_id}/take").status_code == 401


def test_the_inbox_through_the_api_has_the_views_their_counts_and_who_took_each(api, p):
    maria = make_user("maria", Role.PJTK_STAFF, first_name="Maria", last_name="Ulfa")
    taken = submit(p, complaint_reference="KEL/2026/201")
    free = submit(p, complaint_reference="KEL/2026/202")
    api(maria).post(f"/appeals/{taken.public_id}/take")
    caller = api(p.staff)

    mine = caller.get("/inbox").json()
    others = caller.get("/inbox", {"view": "lain"}).json()
    bad = caller.get("/inbox", {"view": "nope"})

    assert mine["view"] == "giliran"
    assert mine["counts"] == {
        "giliran": 1, "saya": 0, "lain": 1, "terlambat": 0, "hampir": 0, "semua": 2
    }  # fmt: skip
    assert [i["number"] for i in mine["items"]] == [free.number]
    assert mine["count"] == 1
    (row,) = others["items"]
    assert row["number"] == taken.number
    assert row["complaint_reference"] == "KEL/2026/201"
    assert (
        row["grounds_summary"] == "Hasil uji kadar air tidak sesuai dengan hasil laboratorium kami."
    )
    assert row["taken_by"] == {"id": str(maria.public_id), "name": "Maria Ulfa"}
    assert row["taken_at"]
    assert mine["items"][0]["taken_by"] is None
    assert (bad.status_code, bad.json()["code"]) == (400, "validation_error")
