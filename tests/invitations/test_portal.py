"""The invitations on the customer's portal page and POST
/portal/banding/<uuid>/undangan/<uuid>/jawab/."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals.models import Document, PanelInvitation
from tests.factories import pdf, register
from tests.invitations.conftest import answer, send, send_written


def page_url(appeal) -> str:
    return reverse("portal:appeal", args=[appeal.public_id])


def answer_url(invitation) -> str:
    return reverse(
        "portal:invitation_answer", args=[invitation.appeal.public_id, invitation.public_id]
    )


def test_the_customer_sees_a_meeting_invitation_with_its_two_buttons(client, p, appeal):
    invitation = send(p, appeal)
    client.force_login(p.customer)

    body = client.get(page_url(appeal)).content.decode()

    assert "Undangan Tim Panel Banding" in body
    assert "13 Maret 2026 09:00 WIB" in body
    assert "Ruang Rapat 2, Gedung B" in body
    assert "Mohon membawa data hasil uji laboratorium Anda." in body
    assert f'action="{answer_url(invitation)}"' in body
    assert 'name="response" value="attend"' in body and "Konfirmasi hadir" in body
    assert 'name="response" value="decline"' in body and "Tidak dapat hadir" in body


def test_a_written_invitation_offers_the_explanation_form_with_files(client, p, appeal):
    send_written(p, appeal)
    client.force_login(p.customer)
    body = client.get(page_url(appeal)).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file"' in body
    assert "Kirim penjelasan tertulis" in body


def test_no_invitation_no_section(client, p, appeal):
    client.force_login(p.customer)
    assert 'id="undangan"' not in client.get(page_url(appeal)).content.decode()


def test_the_customer_confirms_attendance_in_the_portal(client, p, appeal):
    invitation = send(p, appeal)
    client.force_login(p.customer)

    response = client.post(answer_url(invitation), {"response": "attend", "note": "Budi dan Ani"})

    assert response.status_code == 302
    assert response["Location"] == page_url(appeal)
    invitation.refresh_from_db()
    assert (invitation.response, invitation.response_note) == ("attend", "Budi dan Ani")
    body = client.get(response["Location"]).content.decode()
    assert "Jawaban Anda atas undangan Tim Panel Banding terkirim." in body
    assert "Akan hadir" in body
    assert f'action="{answer_url(invitation)}"' not in body  # answered: no form any more


def test_the_customer_sends_a_written_explanation_with_a_file(client, p, appeal):
    invitation = send_written(p, appeal)
    client.force_login(p.customer)

    response = client.post(
        answer_url(invitation),
        {"response": "written", "note": "Data kami terlampir.", "files": [pdf("data.pdf")]},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == page_url(appeal)
    doc = Document.objects.get(kind="customer_explanation")
    body = client.get(page_url(appeal)).content.decode()
    link = reverse("appeals:document", args=[appeal.public_id, doc.public_id])
    assert link in body
    assert client.get(link).status_code == 200


def test_a_refused_answer_keeps_what_was_typed(client, p, appeal):
    invitation = send_written(p, appeal)
    client.force_login(p.customer)
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00bukan pdf")

    response = client.post(
        answer_url(invitation),
        {"response": "written", "note": "Penjelasan panjang kami.", "files": [bad]},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith("<section")
    assert (
        "Berkas virus.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX."
        in body
    )
    assert "Penjelasan panjang kami." in body
    assert not Document.objects.filter(kind="customer_explanation").exists()


def test_a_second_answer_is_refused_with_409(client, p, appeal):
    invitation = answer(p, send(p, appeal))
    client.force_login(p.customer)

    response = client.post(answer_url(invitation), {"response": "decline"})

    assert response.status_code == 409
    assert "jawaban tidak dapat diubah" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == "attend"


def test_an_expired_invitation_shows_no_form(client, p, appeal, time_machine):
    invitation = send(p, appeal)
    time_machine.shift(timedelta(days=4))
    client.force_login(p.customer)
    body = client.get(page_url(appeal)).content.decode()
    assert "Waktu pertemuan sudah lewat." in body
    assert f'action="{answer_url(invitation)}"' not in body


def test_another_organisation_gets_404_for_everything(client, p, appeal):
    invitation = send(p, appeal)
    client.force_login(p.customer_other)

    assert client.get(page_url(appeal)).status_code == 404
    assert client.post(answer_url(invitation), {"response": "attend"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.response == ""


def test_an_invitation_of_another_appeal_is_not_found(client, p, appeal):
    invitation = send(p, appeal)
    mine = register(p)  # same organisation, another appeal
    client.force_login(p.customer)
    url = reverse("portal:invitation_answer", args=[mine.public_id, invitation.public_id])
    assert client.post(url, {"response": "attend"}).status_code == 404
    assert PanelInvitation.objects.get().response == ""


def test_the_portal_page_costs_the_same_queries_however_many_invitations(
    client, p, appeal, django_assert_max_num_queries
):
    client.force_login(p.customer)
    answer(p, send_written(p, appeal), response="written", note="a", files=[pdf("a.pdf")])
    client.get(page_url(appeal))
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(appeal))
    for _ in range(4):
        send(p, appeal)
        answer(p, send_written(p, appeal), response="written", note="b", files=[pdf("b.pdf")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page_url(appeal))


def test_a_refused_answer_keeps_the_good_files_for_the_next_try(client, p, appeal):
    import re

    from banding.appeals.models import StagedUpload

    invitation = send_written(p, appeal)
    client.force_login(p.customer)
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00bukan pdf")
    response = client.post(
        answer_url(invitation),
        {"response": "written", "note": "Penjelasan.", "files": [pdf("data.pdf"), bad]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Berkas yang sudah dipilih" in body and "data.pdf" in body
    kept = re.findall(r'name="files-tersimpan" value="([0-9a-f-]+)"', body)
    assert len(kept) == 1  # the bad file is not kept
    response = client.post(
        answer_url(invitation),
        {"response": "written", "note": "Penjelasan.", "files-tersimpan": kept},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    doc = Document.objects.get(kind="customer_explanation")
    assert doc.original_name == "data.pdf"
    assert not StagedUpload.objects.exists()
