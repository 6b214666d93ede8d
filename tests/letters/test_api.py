"""The letters API: the same services and visibility as the pages."""

import json

import pytest

from banding.letters.models import Letter, LetterStatus
from tests.api.conftest import BASE, api  # noqa: F401  (the `api` fixture)
from tests.factories import register, walk


@pytest.fixture
def rendered(monkeypatch):
    monkeypatch.setattr(
        "banding.letters.render.render_pdf", lambda letter: f"%PDF-1.7 {letter.number}".encode()
    )


def test_draft_edit_issue_and_refuse_changes(p, api, rendered):  # noqa: F811
    appeal = walk(p, register(p), 5)
    base = f"/appeals/{appeal.public_id}/letters"
    staff, lead = api(p.staff), api(p.lead)
    drafted = lead.post(base, {"kind": "nota_dinas", "fields": {"isi": "Mohon ditindaklanjuti."}})
    assert drafted.status_code == 200, drafted.content
    body = drafted.json()
    assert body["status"] == "draft" and body["number"] == ""
    assert body["fields"]["kepada"] == "Ketua Tim Pengujian"
    url = f"{base}/{body['id']}"

    patched = lead.client.patch(
        BASE + url,
        json.dumps({"fields": {"perihal": "Permohonan penyelesaian"}}),
        content_type="application/json",
        **lead._headers(),
    )
    assert patched.status_code == 200 and patched.json()["fields"]["perihal"] == (
        "Permohonan penyelesaian"
    )

    refused = staff.post(f"{url}/issue")
    assert refused.status_code == 403
    assert refused.json()["message"] == (
        "Nota dinas permohonan penyelesaian banding ditandatangani oleh Ketua Tim PJTK; "
        "Anda tidak berperan itu."
    )
    issued = lead.post(f"{url}/issue")
    assert issued.status_code == 200
    letter = Letter.objects.get(public_id=body["id"])
    assert issued.json()["number"] == letter.number and letter.status == LetterStatus.ISSUED
    assert issued.json()["verification_url"].endswith(f"/verifikasi/{letter.verification_code}/")

    again = lead.post(f"{url}/issue")
    assert again.status_code == 409 and again.json()["code"] == "letter_issued"
    assert lead.delete(url).status_code == 409
    file = api(p.auditor).get(f"{url}/file")
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == f"%PDF-1.7 {letter.number}".encode()

    corrected = lead.post(f"{url}/supersede", {"reason": "Perihal kurang lengkap."})
    assert corrected.status_code == 200 and corrected.json()["supersedes"] == body["id"]


def test_customers_see_only_issued_letters_addressed_to_them(p, api, rendered):  # noqa: F811
    appeal = walk(p, register(p), 5)
    base = f"/appeals/{appeal.public_id}/letters"
    staff, lead = api(p.staff), api(p.lead)
    receipt = staff.post(base, {"kind": "tanda_terima"}).json()
    staff.post(f"{base}/{receipt['id']}/issue")
    memo = lead.post(base, {"kind": "nota_dinas"}).json()
    lead.post(f"{base}/{memo['id']}/issue")
    staff.post(base, {"kind": "tanda_terima"})  # a draft

    assert len(staff.get(base).json()) == 3
    customer = api(p.customer)
    listed = customer.get(base).json()
    assert [item["id"] for item in listed] == [receipt["id"]]
    assert customer.get(f"{base}/{receipt['id']}/file").status_code == 200
    assert customer.get(f"{base}/{memo['id']}/file").status_code == 404
    refused = customer.post(base, {"kind": "tanda_terima"})
    assert refused.status_code == 403
    assert api(p.customer_other).get(base).status_code == 404
