"""The invitations card of the staff appeal page and POST /banding/<uuid>/undangan/."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from banding.appeals.models import PanelInvitation
from tests.factories import pdf
from tests.invitations.conftest import answer, later, send, send_written
from tests.web.helpers import detail_url


def invite_url(appeal) -> str:
    return reverse("appeals:invite", args=[appeal.public_id])


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def meeting_data(**overrides) -> dict:
    data = {
        "mode": "meeting",
        "meeting_at": local(later(days=3)),
        "place": "Ruang Rapat 2",
        "respond_by": "",
        "message": "Mohon membawa data pembanding.",
    }
    data.update(overrides)
    return data


def test_a_declared_member_sees_the_invite_form(client, p, appeal):
    client.force_login(p.panel[1])
    body = client.get(detail_url(appeal)).content.decode()
    assert 'id="undangan"' in body
    assert "Undang pelanggan" in body
    assert f'action="{invite_url(appeal)}"' in body


def test_a_member_who_has_not_declared_is_told_to_declare_first(client, p, appeal):
    client.force_login(p.panel[2])
    body = client.get(detail_url(appeal)).content.decode()
    assert "Pelanggan dapat diundang setelah Anda membuat pernyataan" in body
    assert f'action="{invite_url(appeal)}"' not in body


def test_others_see_the_invitations_but_no_form(client, p, appeal):
    send(p, appeal)
    for user in (p.staff, p.head, p.auditor, p.tech):  # p.tech: the appeal's team, no seat
        client.force_login(user)
        body = client.get(detail_url(appeal)).content.decode()
        assert "Undangan kepada pelanggan" in body
        assert "Ruang Rapat 2, Gedung B" in body
        assert f'action="{invite_url(appeal)}"' not in body


def test_without_invitations_or_a_panel_turn_there_is_no_card(client, p, appeal):
    client.force_login(p.staff)
    assert 'id="undangan"' not in client.get(detail_url(appeal)).content.decode()


def test_the_card_shows_answers_and_the_explanation_files(client, p, appeal):
    invitation = send_written(p, appeal)
    answer(p, invitation, response="written", note="Kami lampirkan data.", files=[pdf("data.pdf")])
    client.force_login(p.head)

    body = client.get(detail_url(appeal)).content.decode()

    assert "Penjelasan tertulis dikirim" in body
    assert "Kami lampirkan data." in body
    doc = appeal.documents.get(kind="customer_explanation")
    link = reverse("appeals:document", args=[appeal.public_id, doc.public_id])
    assert link in body
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_member_invites_through_the_form(client, p, appeal):
    client.force_login(p.panel[1])

    response = client.post(invite_url(appeal), meeting_data())

    assert response.status_code == 302
    assert response["Location"] == detail_url(appeal)
    invitation = PanelInvitation.objects.get()
    assert (invitation.place, invitation.message) == (
        "Ruang Rapat 2",
        "Mohon membawa data pembanding.",
    )
    assert invitation.meeting_at == later(days=3)
    page = client.get(response["Location"]).content.decode()
    assert f"Undangan kepada pelanggan banding {appeal.number} dikirim." in page


def test_htmx_gets_a_client_redirect(client, p, appeal):
    client.force_login(p.panel[1])
    response = client.post(invite_url(appeal), meeting_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == detail_url(appeal)


def test_a_refused_invitation_keeps_the_form_with_the_message(client, p, appeal):
    client.force_login(p.panel[1])

    response = client.post(invite_url(appeal), meeting_data(place=""), HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith("<section")  # the card only
    assert "Tempat pertemuan wajib diisi." in body
    assert "Mohon membawa data pembanding." in body  # what was typed stays
    assert not PanelInvitation.objects.exists()


def test_without_htmx_the_whole_page_comes_back_with_the_message(client, p, appeal):
    client.force_login(p.panel[1])
    response = client.post(invite_url(appeal), meeting_data(mode="written"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Batas waktu penjelasan tertulis wajib diisi." in body
    assert "Progres SOP 5.1.24" in body


def test_the_wrong_person_is_refused_with_403(client, p, appeal):
    client.force_login(p.staff)
    response = client.post(invite_url(appeal), meeting_data(place=""))
    assert response.status_code == 403
    assert (
        "Pelanggan diundang oleh anggota Tim Panel Banding yang ditunjuk untuk banding ini"
        in response.content.decode()
    )
    assert not PanelInvitation.objects.exists()


def test_customers_never_reach_the_staff_form(client, p, appeal):
    client.force_login(p.customer)
    response = client.post(invite_url(appeal), meeting_data())
    assert response.status_code == 403
    assert not PanelInvitation.objects.exists()


def test_the_appeal_page_costs_the_same_queries_however_many_invitations(
    client, p, appeal, django_assert_max_num_queries
):
    client.force_login(p.head)
    send(p, appeal)
    answer(p, send_written(p, appeal), response="written", note="a", files=[pdf("a.pdf")])
    client.get(detail_url(appeal))  # warm the per-process caches (calendar)
    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(appeal))
    # The page's budget (DESIGN.md): the written answers' files are among the documents the
    # page has loaded already, not read again for the card.
    assert len(few.captured_queries) == 12
    for _ in range(5):
        answer(p, send_written(p, appeal), response="written", note="b", files=[pdf("b.pdf")])
        send(p, appeal)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(detail_url(appeal))
