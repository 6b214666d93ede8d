"""GET/POST /api/v1/appeals/{id}/invitations and POST .../invitations/{inv_id}/answer."""

from __future__ import annotations

import uuid

import pytest

from banding.appeals.models import PanelInvitation
from tests.factories import pdf
from tests.invitations.conftest import answer, later, send, send_written


def base(appeal) -> str:
    return f"/appeals/{appeal.public_id}/invitations"


def test_the_panel_invites_through_the_api(api, p, appeal):
    response = api(p.panel[1]).post(
        base(appeal),
        {
            "mode": "meeting",
            "meeting_at": "2026-03-13T10:00:00+07:00",
            "place": "Ruang Rapat 2",
            "message": "Bawa data.",
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    invitation = PanelInvitation.objects.get()
    assert body["id"] == str(invitation.public_id)
    assert (body["mode"], body["mode_label"], body["place"], body["open"]) == (
        "meeting",
        "Hadir dalam pertemuan",
        "Ruang Rapat 2",
        True,
    )
    assert body["invited_by"]["name"] == p.panel[1].display_name
    assert body["response"] == "" and body["documents"] == []


def test_naive_times_are_read_as_wib(api, p, appeal):
    response = api(p.panel[1]).post(
        base(appeal), {"mode": "written", "respond_by": "2026-03-15T16:00:00"}
    )
    assert response.status_code == 201
    assert response.json()["respond_by"].startswith("2026-03-15T09:00:00")  # UTC


@pytest.mark.parametrize("who", ["staff", "head", "customer"])
def test_others_may_not_invite(api, p, appeal, who):
    response = api(getattr(p, who)).post(
        base(appeal), {"mode": "meeting", "meeting_at": later(days=2), "place": "R"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_role"
    assert not PanelInvitation.objects.exists()


def test_invalid_terms_are_a_400_naming_the_field(api, p, appeal):
    response = api(p.panel[1]).post(base(appeal), {"mode": "written"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Batas waktu penjelasan tertulis wajib diisi.",
        "fields": {"respond_by": ["Batas waktu penjelasan tertulis wajib diisi."]},
    }


def test_the_customer_reads_and_answers_with_files(api, p, appeal):
    invitation = send_written(p, appeal)
    customer = api(p.customer)

    listed = customer.get(base(appeal))
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json()] == [str(invitation.public_id)]

    response = customer.upload(
        f"{base(appeal)}/{invitation.public_id}/answer",
        {"response": "written", "note": "Penjelasan kami.", "files": [pdf("a.pdf"), pdf("b.pdf")]},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["response"], body["response_label"], body["open"]) == (
        "written",
        "Penjelasan tertulis dikirim",
        False,
    )
    assert sorted(d["name"] for d in body["documents"]) == ["a.pdf", "b.pdf"]
    assert all(d["kind"] == "customer_explanation" for d in body["documents"])
    file = customer.get(body["documents"][0]["download_url"].removeprefix("/api/v1"))
    assert file.status_code == 200


def test_a_second_answer_is_a_409(api, p, appeal):
    invitation = answer(p, send(p, appeal))
    response = api(p.customer).upload(
        f"{base(appeal)}/{invitation.public_id}/answer", {"response": "decline"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_answered"


def test_staff_may_read_but_not_answer(api, p, appeal):
    invitation = send(p, appeal)
    staff = api(p.staff)
    assert staff.get(base(appeal)).status_code == 200
    response = staff.upload(f"{base(appeal)}/{invitation.public_id}/answer", {"response": "attend"})
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Undangan Tim Panel Banding dijawab oleh pelanggan yang mengajukan banding ini."
    )


def test_another_organisation_finds_nothing(api, p, appeal):
    invitation = send(p, appeal)
    other = api(p.customer_other)

    assert other.get(base(appeal)).status_code == 404
    assert other.post(base(appeal), {"mode": "meeting"}).status_code == 404
    answered = other.upload(f"{base(appeal)}/{invitation.public_id}/answer", {"response": "attend"})
    assert answered.status_code == 404
    assert PanelInvitation.objects.get().response == ""


def test_an_unknown_invitation_is_a_404(api, p, appeal):
    response = api(p.customer).upload(f"{base(appeal)}/{uuid.uuid4()}/answer", {"response": "x"})
    assert response.status_code == 404
    assert response.json()["message"] == "Undangan tidak ditemukan."
