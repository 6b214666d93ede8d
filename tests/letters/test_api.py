"""The letters API: the same services and visibility as the pages."""

import json

import pytest

from banding.appeals import services as appeal_services
from banding.letters.models import Letter, LetterStatus
from banding.sop import definition as sop
from tests.api.conftest import BASE, api  # noqa: F401  (the `api` fixture)
from tests.factories import PASSWORD, not_relevant, register, similar_confirmed, walk
from tests.letters.conftest import number_pdf


@pytest.fixture
def rendered(monkeypatch):
    monkeypatch.setattr("banding.letters.render.render_pdf", number_pdf)


def test_draft_edit_issue_and_refuse_changes(p, api, rendered):  # noqa: F811
    appeal = register(p)
    appeal_services.appeal_verify(
        appeal=appeal,
        **similar_confirmed(appeal),
        user=p.lead,
        checklist=dict.fromkeys(sop.step(3).checklist, True),
        relevant=True,
        technical_team=p.team_a,
    )
    base = f"/appeals/{appeal.public_id}/letters"
    staff, lead = api(p.staff), api(p.lead)
    drafted = lead.post(base, {"kind": "nota_dinas", "fields": {"isi": "Mohon ditindaklanjuti."}})
    assert drafted.status_code == 200, drafted.content
    body = drafted.json()
    assert body["status"] == "draft" and body["number"] == ""
    assert body["fields"]["isi"] == "Mohon ditindaklanjuti."
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

    refused = staff.post(f"{url}/issue", {"password": PASSWORD})
    assert refused.status_code == 403
    assert refused.json()["message"] == (
        "Nota dinas permohonan penyelesaian banding ditandatangani oleh Ketua Tim PJTK; "
        "Anda tidak berperan itu."
    )
    wrong = lead.post(f"{url}/issue", {"password": "bukan"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "reauthentication_failed"
    assert lead.post(f"{url}/issue", {}).status_code == 400  # the password is required
    issued = lead.post(f"{url}/issue", {"password": PASSWORD})
    assert issued.status_code == 200
    letter = Letter.objects.get(public_id=body["id"])
    assert issued.json()["number"] == letter.number and letter.status == LetterStatus.ISSUED
    assert issued.json()["signed_as"] == "Ketua Tim PJTK"
    assert issued.json()["verification_url"].endswith(f"/verifikasi/{letter.verification_code}/")

    again = lead.post(f"{url}/issue", {"password": PASSWORD})
    assert again.status_code == 409 and again.json()["code"] == "letter_issued"
    assert lead.delete(url).status_code == 409
    file = api(p.auditor).get(f"{url}/file")
    assert file.status_code == 200
    assert b"".join(file.streaming_content).startswith(number_pdf(letter))

    corrected = lead.post(f"{url}/supersede", {"reason": "Perihal kurang lengkap."})
    assert corrected.status_code == 200 and corrected.json()["supersedes"] == body["id"]


def test_the_step_completes_through_the_api_once_its_letter_is_issued(p, api, rendered):  # noqa: F811
    appeal = register(p)
    lead = api(p.lead)
    checklist = dict.fromkeys(sop.step(3).checklist, True)
    verified = lead.post(
        f"/appeals/{appeal.public_id}/verify",
        {"checklist": checklist, "relevant": True, "technical_team": p.team_a.code},
    )
    assert verified.status_code == 200
    detail = verified.json()
    assert detail["current_step"]["number"] == 3
    assert detail["current_record"]["outcome"] == "relevant"
    assert detail["current_outputs"] == [
        {
            "kind": "nota_dinas",
            "label": "Nota dinas permohonan penyelesaian banding",
            "letter": True,
            "state": "missing",
            "letter_id": None,
            "number": "",
        }
    ]
    complete = f"/appeals/{appeal.public_id}/steps/3/complete"
    refused = lead.post(complete)
    assert refused.status_code == 409
    assert refused.json()["code"] == "output_missing"
    assert refused.json()["fields"] == {"outputs": ["nota_dinas"]}

    base = f"/appeals/{appeal.public_id}/letters"
    memo = lead.post(base, {"kind": "nota_dinas"}).json()
    lead.post(f"{base}/{memo['id']}/issue", {"password": PASSWORD})
    done = lead.post(complete)

    assert done.status_code == 200
    assert done.json()["current_step"]["number"] == 5
    assert lead.post(complete).json()["code"] == "wrong_step"


def test_customers_see_a_letter_only_once_the_sop_delivers_it(p, api, rendered):  # noqa: F811
    appeal = not_relevant(p, register(p))
    base = f"/appeals/{appeal.public_id}/letters"
    staff, head = api(p.staff), api(p.head)
    receipt = staff.post(base, {"kind": "penolakan"}).json()
    head.post(f"{base}/{receipt['id']}/issue", {"password": PASSWORD})
    customer = api(p.customer)

    assert customer.get(base).json() == []  # issued, not yet sent
    assert customer.get(f"{base}/{receipt['id']}/file").status_code == 404
    sent = staff.post(
        f"/appeals/{appeal.public_id}/reject",
        {"delivered_at": "2026-01-05T09:00:00+07:00", "channel": "email"},
    )
    assert sent.status_code == 200, sent.content

    listed = customer.get(base).json()
    assert [item["id"] for item in listed] == [receipt["id"]]
    assert customer.get(f"{base}/{receipt['id']}/file").status_code == 200
    detail = customer.get(f"/appeals/{appeal.public_id}").json()
    assert detail["outcome"]["sentence"] == "Permohonan banding Anda tidak dapat diterima."
    assert detail["outcome"]["reasons"] == "Di luar lingkup banding."
    refused = customer.post(base, {"kind": "tanda_terima"})
    assert refused.status_code == 403
    assert api(p.customer_other).get(base).status_code == 404


def test_internal_letters_never_reach_the_customer(p, api, rendered):  # noqa: F811
    appeal = walk(p, register(p), 13)
    base = f"/appeals/{appeal.public_id}/letters"

    kinds = {item["kind"] for item in api(p.customer).get(base).json()}

    assert kinds == {"keputusan", "penyampaian"}
    assert len(api(p.staff).get(base).json()) == 7
