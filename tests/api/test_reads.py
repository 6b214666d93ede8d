"""The reads: the register with filters and pages, inbox, detail, timeline, documents and
files, each limited to what the caller may see; list queries do not grow with the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banding.api.paging import MAX_OFFSET
from banding.appeals.models import Status
from tests.factories import pdf, register, walk


def ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["items"]]


def test_the_register_lists_newest_first_with_a_count(api, p):
    first, second = register(p), register(p, organization=p.org_other)
    body = api(p.auditor).get("/appeals").json()
    assert body["count"] == 2
    assert (body["limit"], body["offset"]) == (25, 0)
    assert [row["number"] for row in body["items"]] == [second.number, first.number]
    assert body["items"][0]["organization"] == {
        "id": str(p.org_other.public_id),
        "name": "PT Farmasi Sejahtera",
    }


def test_the_register_filters_like_the_staff_page(api, p):
    testing = register(p)
    calibration = register(
        p, organization=p.org_other, service_type="kalibrasi", complaint_reference="KEL/9"
    )
    walk(p, testing, 5)
    old = register(
        p,
        received_at=timezone.now() - timedelta(days=40),
        complaint_outcome_date=timezone.localdate() - timedelta(days=50),
    )
    caller = api(p.staff)
    assert ids(caller.get("/appeals", {"q": "KEL/9"})) == [str(calibration.public_id)]
    assert ids(caller.get("/appeals", {"q": "farmasi"})) == [str(calibration.public_id)]
    assert ids(caller.get("/appeals", {"service_type": "kalibrasi"})) == [
        str(calibration.public_id)
    ]
    assert ids(caller.get("/appeals", {"step": 5})) == [str(testing.public_id)]
    assert ids(caller.get("/appeals", {"organization": str(p.org_other.public_id)})) == [
        str(calibration.public_id)
    ]
    cutoff = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert ids(caller.get("/appeals", {"received_to": cutoff})) == [str(old.public_id)]
    assert str(old.public_id) not in ids(caller.get("/appeals", {"received_from": cutoff}))
    walk(p, old, 13)
    assert ids(caller.get("/appeals", {"status": Status.CLOSED})) == [str(old.public_id)]


def test_the_register_pages_by_limit_offset_or_page(api, p):
    appeals = [register(p) for _ in range(5)]
    newest_first = [str(a.public_id) for a in reversed(appeals)]
    caller = api(p.staff)
    assert ids(caller.get("/appeals", {"limit": 2})) == newest_first[:2]
    assert ids(caller.get("/appeals", {"limit": 2, "offset": 2})) == newest_first[2:4]
    page = caller.get("/appeals", {"limit": 2, "page": 3}).json()
    assert page["offset"] == 4
    assert page["count"] == 5
    assert [row["id"] for row in page["items"]] == newest_first[4:]
    assert caller.get("/appeals", {"limit": 101}).status_code == 400


@pytest.mark.parametrize("name", ["offset", "page"])
def test_a_huge_offset_or_page_is_a_400_not_a_database_overflow(api, p, name):
    register(p)
    caller = api(p.staff)
    for path in ("/appeals", "/inbox"):
        response = caller.get(path, {name: 10**30})
        assert response.status_code == 400, path
        body = response.json()
        assert body["code"] == "validation_error" and name in body["fields"]
    assert caller.get("/appeals", {name: MAX_OFFSET // 100}).status_code == 200


def _list_queries(caller, path: str) -> int:
    # A token's use is written at most once a minute; this call does it if one is due, so
    # however slowly the test ran up to here, it is not in what is measured.
    caller.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = caller.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_list_makes_the_same_queries_for_5_and_50_appeals(api, p):
    for _ in range(5):
        walk(p, register(p), 5)
    caller = api(p.tech)
    caller.get("/appeals")  # the token's first use is recorded once; not what is measured
    few = _list_queries(caller, "/appeals?limit=100")
    inbox_few = _list_queries(caller, "/inbox?limit=100")
    for _ in range(45):
        walk(p, register(p), 5)
    assert api(p.tech).get("/appeals").json()["count"] == 50
    assert _list_queries(caller, "/appeals?limit=100") == few
    assert _list_queries(caller, "/inbox?limit=100") == inbox_few
    assert len(caller.get("/inbox", {"limit": 100}).json()["items"]) == 50
    # token, roles, count, rows
    assert few == 4
    assert inbox_few == 4  # token, roles, the counts of the views (one query), rows


def test_the_inbox_holds_the_callers_open_steps_oldest_first(api, p):
    first, second = register(p), register(p)
    walk(p, second, 5)
    assert ids(api(p.lead).get("/inbox")) == [str(first.public_id)]
    assert ids(api(p.tech).get("/inbox")) == [str(second.public_id)]
    assert ids(api(p.tech_other).get("/inbox")) == []
    assert ids(api(p.customer).get("/inbox")) == []


def test_a_customer_lists_only_its_organisations_appeals(api, p):
    own = register(p)
    register(p, organization=p.org_other)
    body = api(p.customer).get("/appeals").json()
    assert body["count"] == 1
    assert [row["id"] for row in body["items"]] == [str(own.public_id)]
    other = api(p.customer).get("/appeals", {"organization": str(p.org_other.public_id)})
    assert other.json()["count"] == 0


def test_another_organisations_appeal_timeline_documents_and_file_are_404(api, p):
    theirs = register(p, organization=p.org_other)
    letter = theirs.documents.get()
    caller = api(p.customer)
    base = f"/appeals/{theirs.public_id}"
    file = f"{base}/documents/{letter.public_id}/file"
    for path in (base, base + "/timeline", base + "/documents", file):
        response = caller.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert api(p.customer_other).get(file).status_code == 200


def test_the_detail_shows_where_the_appeal_stands_by_the_sop(api, p):
    appeal = walk(p, register(p, involved=[p.panel[3]]), 7)
    body = api(p.staff).get(f"/appeals/{appeal.public_id}").json()
    assert body["number"] == appeal.number
    assert body["current_step"] == {
        "number": 7,
        "title": "Investigasi banding",
        "actor": "TPB",
        "actor_label": "Tim Panel Banding",
    }
    assert [s["number"] for s in body["remaining_steps"]] == [9, 10, 11, 12]
    assert [(s["number"], s["completed_at"] is not None) for s in body["steps"]] == [
        (1, True),
        (2, True),
        (3, True),
        (5, True),
        (6, True),
        (7, False),
    ]
    assert body["steps"][4]["completed_by"] == {
        "id": str(p.head.public_id),
        "name": p.head.display_name,
    }
    assert [(s["user"]["name"], s["role_label"]) for s in body["panel"]] == [
        ("Panel 1", "Ketua"),
        ("Panel 2", "Anggota"),
        ("Panel 3", "Anggota"),
    ]
    assert body["involved_persons"] == [{"id": str(p.panel[3].public_id), "name": "Panel 4"}]
    assert body["your_turn"] is False
    assert api(p.panel[1]).get(f"/appeals/{appeal.public_id}").json()["your_turn"] is True


def test_a_customer_sees_the_decision_only_once_delivered(api, p):
    appeal = walk(p, register(p), 10)
    url = f"/appeals/{appeal.public_id}"
    assert api(p.staff).get(url).json()["decision"]["decision"] == "diterima_sebagian"
    assert api(p.customer).get(url).json()["decision"] is None
    appeal = walk(p, appeal, 12)  # approved and dispositioned: still not delivered
    seen = api(p.customer).get(url).json()
    assert (seen["decision"], seen["outcome"]) == (None, None)
    walk(p, appeal, 13)
    seen = api(p.customer).get(url).json()
    assert seen["decision"]["label"] == "Diterima sebagian"
    assert seen["outcome"]["sentence"] == "Permohonan banding Anda diterima sebagian."


def test_the_timeline_shows_a_customer_only_public_events(api, p):
    appeal = walk(p, register(p), 9)
    staff = [e["action"] for e in api(p.staff).get(f"/appeals/{appeal.public_id}/timeline").json()]
    customer = [
        e["action"] for e in api(p.customer).get(f"/appeals/{appeal.public_id}/timeline").json()
    ]
    assert "panel.declared" in staff
    assert "document.added" in staff
    assert customer == [
        "appeal.registered",
        "step.3.relevant",
        "step.5.proposed",
        "step.6.appointed",
        "step.7.investigated",
    ]
    event = api(p.customer).get(f"/appeals/{appeal.public_id}/timeline").json()[0]
    assert event["actor"] == {"id": str(p.staff.public_id), "name": "Staff"}
    assert event["step"] == 2


def test_documents_list_and_download_what_the_caller_may_see(api, p):
    appeal = walk(p, register(p, attachments=[pdf("bukti.pdf")]), 9)
    staff_docs = api(p.staff).get(f"/appeals/{appeal.public_id}/documents").json()
    assert [d["kind"] for d in staff_docs] == [
        "appeal_letter",
        "supporting",
        "investigation_report",
    ]
    customer_docs = api(p.customer).get(f"/appeals/{appeal.public_id}/documents").json()
    assert [d["name"] for d in customer_docs] == ["surat-banding.pdf", "bukti.pdf"]

    caller = api(p.customer)
    response = caller.get(customer_docs[1]["download_url"].removeprefix("/api/v1"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bukti.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    report = staff_docs[2]
    response = caller.get(f"/appeals/{appeal.public_id}/documents/{report['id']}/file")
    assert response.status_code == 404
    assert response.json()["message"] == "Dokumen tidak ditemukan."


def test_adding_a_document_checks_its_content(api, p):
    appeal = register(p)
    response = api(p.staff).upload(
        f"/appeals/{appeal.public_id}/documents",
        {"file": pdf("palsu.pdf", b"bukan pdf sama sekali"), "kind": "other"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "upload_type"
    assert response.json()["message"] == (
        "Berkas palsu.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX."
    )
    assert appeal.documents.count() == 1


def test_me_and_the_sop(api, p):
    me = api(p.tech).get("/me").json()
    assert me["id"] == str(p.tech.public_id)
    assert me["roles"] == [{"code": "technical", "label": "Tim Teknis"}]
    assert me["technical_teams"] == [{"code": "pengujian", "name": "Tim Pengujian"}]
    assert api(p.customer).get("/me").json()["organization"]["name"] == "PT Kimia Nusantara"
    sop = api(p.customer).get("/sop").json()
    assert [s["number"] for s in sop["steps"]] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
