"""Both SOP branches end to end through the API, each step by the right user's token."""

from datetime import timedelta

from django.utils import timezone

from banding.appeals.models import Appeal
from banding.sop import definition as sop
from tests.factories import ANSWER, NO_INVOLVED, PASSWORD, pdf


def letter(drafter, signer, url: str, kind: str, **fields) -> dict:
    """A letter drafted by one token and issued by another, whose owner gives the password."""
    draft = drafter.post(url + "/letters", {"kind": kind, "fields": fields})
    assert draft.status_code == 200, draft.json()
    issued = signer.post(f"{url}/letters/{draft.json()['id']}/issue", {"password": PASSWORD})
    assert issued.status_code == 200, issued.json()
    return issued.json()


def complete(caller, url: str, number: int) -> dict:
    response = caller.post(f"{url}/steps/{number}/complete")
    assert response.status_code == 200, response.json()
    return response.json()


def intake(api, p, **overrides) -> dict:
    now = timezone.localtime()
    data = {
        "organization": str(p.org.public_id),
        "contact_name": "Budi Santoso",
        "contact_email": "budi@kimia.example",
        "channel": "courier",
        "received_at": (now - timedelta(hours=2)).isoformat(),
        "complaint_reference": "KEL/2026/017",
        "complaint_outcome_date": (now - timedelta(days=10)).date().isoformat(),
        "service_type": "pengujian",
        "reference_document": "LHU-2026-0456",
        "grounds": "Hasil uji kadar air tidak sesuai.",
        "remedy_sought": "Pengujian ulang.",
        "involved_persons": [str(p.panel[3].public_id)],
        "letter": pdf(),
        "attachments": [pdf("lampiran-1.pdf"), pdf("lampiran-2.pdf")],
        **overrides,
    }
    if not any(data.get(name) for name in ANSWER):  # step 2's answer is required
        data["no_involved_reason"] = NO_INVOLVED
    r = api(p.staff).upload("/appeals", data)
    assert r.status_code == 201, r.json()
    return r.json()


def test_not_relevant_appeal_is_rejected_through_the_api(api, p):
    appeal = intake(api, p)
    assert appeal["number"].startswith("BDG/")
    assert appeal["current_step"]["number"] == 3
    assert appeal["involved_persons"] == [
        {"id": str(p.panel[3].public_id), "name": p.panel[3].display_name}
    ]
    url = f"/appeals/{appeal['id']}"

    r = api(p.lead).post(
        url + "/verify",
        {"checklist": {}, "relevant": False, "reasons": "Bukan atas hasil keluhan."},
    )
    assert r.status_code == 200, r.json()
    assert r.json()["current_step"] == {
        "number": 4,
        "title": sop.step(4).title,
        "actor": "STF",
        "actor_label": "Staff PJTK",
    }

    reject = {"delivered_at": timezone.now(), "channel": "email"}
    r = api(p.staff).post(url + "/reject", reject)
    assert r.status_code == 409 and r.json()["code"] == "output_missing"
    letter(api(p.staff), api(p.head), url, "penolakan")
    r = api(p.staff).post(url + "/reject", reject)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["status"] == "rejected"
    assert body["status_label"] == "Ditolak (tidak relevan)"
    assert body["current_step"] is None
    assert [s["number"] for s in body["steps"]] == [1, 2, 3, 4]
    assert body["steps"][2]["outcome_label"] == "Tidak relevan"
    assert body["outcome"]["sentence"] == "Permohonan banding Anda tidak dapat diterima."

    timeline = api(p.customer).get(url + "/timeline").json()
    assert [e["action"] for e in timeline] == [
        "appeal.registered",
        "step.3.not_relevant",
        "step.4.rejected",
    ]
    assert [x["kind"] for x in api(p.customer).get(url + "/letters").json()] == ["penolakan"]
    assert Appeal.objects.get(public_id=appeal["id"]).status == "rejected"


def test_relevant_appeal_is_decided_returned_decided_again_and_archived(api, p):
    appeal = intake(api, p)
    url = f"/appeals/{appeal['id']}"
    chair, members = p.panel[0], p.panel[:3]
    now = timezone.now()

    def ok(response) -> dict:
        assert response.status_code == 200, response.json()
        return response.json()

    body = ok(
        api(p.lead).post(
            url + "/verify",
            {
                "checklist": dict.fromkeys(sop.step(3).checklist, True),
                "relevant": True,
                "technical_team": p.team_a.code,
            },
        )
    )
    assert body["current_step"]["number"] == 3
    assert body["current_record"]["outcome"] == "relevant"
    letter(api(p.lead), api(p.lead), url, "nota_dinas")
    body = complete(api(p.lead), url, 3)
    assert body["technical_team"] == {"code": "pengujian", "name": "Tim Pengujian"}
    assert body["current_step"]["number"] == 5

    panel = {"members": [str(m.public_id) for m in members], "chair": str(chair.public_id)}
    ok(api(p.tech).post(url + "/panel/propose", {**panel, "note": "Koordinasi lisan."}))
    letter(api(p.tech), api(p.tech), url, "usulan_panel")
    complete(api(p.tech), url, 5)
    ok(api(p.head).post(url + "/panel/appoint", panel))
    letter(api(p.staff), api(p.head), url, "penunjukan_panel")
    body = complete(api(p.head), url, 6)
    assert [(s["user"]["id"], s["role"]) for s in body["panel"]] == [
        (str(chair.public_id), "chair"),
        (str(members[1].public_id), "member"),
        (str(members[2].public_id), "member"),
    ]

    as_chair = api(chair)
    body = ok(as_chair.post(url + "/panel/declare"))
    assert body["panel"][0]["declared_at"] is not None
    body = ok(
        as_chair.post(
            url + "/investigation/notes",
            {"kind": "contact", "text": "Pelanggan dihubungi melalui telepon."},
        )
    )
    assert body["notes"][0]["kind_label"] == "Kontak dengan pelanggan"
    body = ok(as_chair.upload(url + "/investigation/report", {"report": pdf("laporan.pdf")}))
    assert body["current_step"]["number"] == 9

    meeting = {
        "meeting_at": timezone.now(),  # after the panel's appointment
        "place": "Ruang Rapat 1",
        "attendance": [{"member": str(u.public_id), "present": True} for u in (chair, p.panel[1])],
        "guests": [{"name": "Sari", "role": "Notulis"}],
        "minutes": "Panel membahas hasil investigasi.",
        "reasons": "Hasil investigasi menjadi dasar keputusan.",
    }
    ok(as_chair.post(url + "/decision", {**meeting, "decision": "ditolak"}))
    letter(as_chair, as_chair, url, "daftar_hadir")
    letter(as_chair, as_chair, url, "notulen")
    complete(as_chair, url, 9)
    body = ok(api(p.head).post(url + "/decision/return", {"reasons": "Lengkapi notulen."}))
    assert body["current_step"]["number"] == 9
    assert body["decision"] is None

    ok(
        as_chair.post(
            url + "/decision",
            {**meeting, "decision": "diterima_sebagian", "remedy": "Uji ulang tanpa biaya."},
        )
    )
    letter(as_chair, as_chair, url, "daftar_hadir")
    letter(as_chair, as_chair, url, "notulen")
    body = complete(as_chair, url, 9)
    assert body["decision"]["label"] == "Diterima sebagian"
    refused = api(p.head).post(url + "/decision/approve", {"disposition": "Tindak lanjuti."})
    assert refused.status_code == 409 and refused.json()["fields"] == {"outputs": ["keputusan"]}
    letter(api(p.head), api(p.head), url, "keputusan", pertimbangan="Hasil investigasi.")
    ok(api(p.head).post(url + "/decision/approve", {"disposition": "Tindak lanjuti."}))
    # Approved, not yet delivered: the customer does not see the decision yet.
    assert api(p.customer).get(url).json()["decision"] is None
    ok(api(p.lead).post(url + "/disposition", {"note": "Sampaikan kepada pelanggan."}))
    letter(api(p.staff), api(p.lead), url, "penyampaian")
    body = ok(
        api(p.staff).post(
            url + "/close",
            {
                "delivered_at": now,
                "channel": "email",
                "cabinet": "L-01",
                "box": "B-2026",
                "folder": "M-001",
            },
        )
    )
    assert body["status"] == "closed"
    assert body["archive"] == {"cabinet": "L-01", "box": "B-2026", "folder": "M-001"}
    assert [s["number"] for s in body["steps"]] == [1, 2, 3, 5, 6, 7, 9, 10, 9, 10, 11, 12]
    assert body["remaining_steps"] == []

    # The customer sees the delivered decision but not the panel's working notes.
    seen = api(p.customer).get(url).json()
    assert seen["decision"]["decision"] == "diterima_sebagian"
    assert seen["outcome"]["sentence"] == "Permohonan banding Anda diterima sebagian."
    assert seen["outcome"]["reasons"] == "Hasil investigasi."
    assert seen["outcome"]["remedy"] == "Uji ulang tanpa biaya."
    assert seen["notes"] == []
    assert seen["involved_persons"] == []
