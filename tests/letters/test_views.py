"""The Surat card and letter pages: draft, edit, preview, issue with the password, correct,
withdraw, download; and the outputs card of the step."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banding.appeals import services as services_appeal
from banding.appeals.services import appeal_close
from banding.letters import selectors, services
from banding.letters.models import Letter, LetterStatus
from tests.factories import (
    PASSWORD,
    delivery_letter,
    issued,
    not_relevant,
    register,
    rejection_letter,
    walk,
)
from tests.letters.conftest import number_pdf, pdf_text


@pytest.fixture
def rendered(monkeypatch):
    monkeypatch.setattr("banding.letters.render.render_pdf", number_pdf)


def _url(letter: Letter, action: str = "") -> str:
    base = f"/banding/{letter.appeal.public_id}/surat/{letter.public_id}/"
    return base + (f"{action}/" if action else "")


def test_staff_draft_edit_and_preview_and_the_head_issues_with_the_password(p, client):
    appeal = not_relevant(p, register(p), "Keluhan semula belum selesai ditangani.")
    client.force_login(p.staff)
    page = client.get(f"/banding/{appeal.public_id}/").content.decode()
    assert "Output langkah 4" in page and "Buat draf Surat penolakan banding" in page
    # The letter comes first: the form that records its delivery cannot be sent yet.
    assert 'id="tolak-tertahan"' in page
    response = client.post(f"/banding/{appeal.public_id}/surat/baru/penolakan/")
    letter = Letter.objects.get(appeal=appeal)
    assert response.status_code == 302 and response["Location"] == _url(letter)

    form = client.get(_url(letter)).content.decode()
    assert "Simpan draf" in form and "Terbitkan dan tandatangani" not in form  # staff don't sign
    saved = client.post(_url(letter), {"perihal": "Penolakan banding", "catatan": "Harap maklum."})
    assert saved.status_code == 302
    letter.refresh_from_db()
    assert letter.fields["catatan"] == "Harap maklum."

    preview = client.get(_url(letter, "pratinjau"))
    assert preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content)
    assert "DRAF" in text and "Harap maklum." in text and "(nomor diberikan saat terbit)" in text
    # The reasons are the ones recorded at step 3, not typed again.
    assert "Keluhan semula belum selesai ditangani." in text

    client.force_login(p.head)
    inbox = client.get("/").content.decode()
    assert "Surat menunggu tanda tangan Anda" in inbox and _url(letter) in inbox
    page = client.get(_url(letter)).content.decode()
    assert "Kata sandi Anda" in page
    wrong = client.post(_url(letter, "terbitkan"), {"password": "keliru"})
    assert wrong.status_code == 400
    assert "Kata sandi tidak cocok" in wrong.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT and not letter.number
    done = client.post(_url(letter, "terbitkan"), {"password": PASSWORD})
    assert done.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED and letter.signer == p.head

    # Issued: no form, and a posted edit is refused with the reason.
    client.force_login(p.staff)
    page = client.get(_url(letter)).content.decode()
    assert "Simpan draf" not in page and letter.number in page
    refused = client.post(_url(letter), {"perihal": "Diubah"})
    assert refused.status_code == 409
    assert "sudah terbit dan tidak dapat diubah" in refused.content.decode()
    assert client.post(_url(letter, "hapus")).status_code == 409
    assert client.get(_url(letter, "pratinjau")).status_code == 409
    step = client.get(f"/banding/{appeal.public_id}/").content.decode()
    assert 'id="tolak-tertahan"' not in step


def test_only_the_signer_issues(p, client, rendered):
    appeal = register(p)
    letter = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    client.force_login(p.staff)
    assert "Terbitkan dan tandatangani" not in client.get(_url(letter)).content.decode()
    refused = client.post(_url(letter, "terbitkan"), {"password": PASSWORD})
    assert refused.status_code == 403
    assert "ditandatangani oleh Kepala Balai atau Ketua Tim PJTK a.n. Kepala Balai" in (
        refused.content.decode()
    )


def test_correction_from_the_page_keeps_both(p, client, rendered):
    appeal = register(p)
    old = issued(appeal, "tanda_terima", p.staff, p.head)
    client.force_login(p.staff)
    response = client.post(
        _url(old, "koreksi"), {"reason": "Perihal keliru.", "perihal": "Tanda terima (koreksi)"}
    )
    new = Letter.objects.get(supersedes=old)
    assert response["Location"] == _url(new)
    client.force_login(p.head)
    client.post(_url(new, "terbitkan"), {"password": PASSWORD})
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (LetterStatus.SUPERSEDED, LetterStatus.ISSUED)
    assert new.fields["perihal"] == "Tanda terima (koreksi)"


def test_the_signer_withdraws_a_letter_of_the_open_step_from_its_page(p, client, rendered):
    appeal = not_relevant(p, register(p))
    letter = rejection_letter(p, appeal)
    client.force_login(p.head)
    assert "Cabut surat" in client.get(_url(letter)).content.decode()

    response = client.post(_url(letter, "cabut"), {"reason": "Alamat pelanggan keliru."})

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.WITHDRAWN
    verification = client.get(f"/verifikasi/{letter.verification_code}/").content.decode()
    assert "Dicabut" in verification and "Alamat pelanggan keliru." in verification
    # A new rejection letter may now be drafted for the same step.
    client.force_login(p.staff)
    page = client.get(f"/banding/{appeal.public_id}/").content.decode()
    assert "Buat draf Surat penolakan banding" in page


def test_download_follows_appeal_visibility_and_delivery(p, client, rendered):
    appeal = walk(p, register(p), 12)
    delivery = delivery_letter(p, appeal)
    decision = appeal.letters.get(kind="keputusan")
    memo = appeal.letters.get(kind="nota_dinas")
    assert client.get(_url(delivery, "unduh")).status_code == 302  # to the login page
    client.force_login(p.auditor)
    for letter in (delivery, memo):
        response = client.get(_url(letter, "unduh"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(number_pdf(letter))
    client.force_login(p.customer)
    # Issued, approved, but not yet delivered: the customer does not have them yet.
    assert client.get(_url(delivery, "unduh")).status_code == 404
    assert client.get(_url(decision, "unduh")).status_code == 404
    appeal_close(
        appeal=appeal,
        user=p.staff,
        delivered_at=timezone.now(),
        channel="email",
        cabinet="L1",
        box="B1",
        folder="M1",
    )
    for letter in (delivery, decision):
        assert client.get(_url(letter, "unduh")).status_code == 200
    assert client.get(_url(memo, "unduh")).status_code == 404  # internal memo
    assert client.get(_url(delivery)).status_code == 403  # staff pages stay staff-only
    client.force_login(p.customer_other)
    assert client.get(_url(delivery, "unduh")).status_code == 404


def test_the_card_reads_letters_in_one_query(p, rendered):
    appeal = walk(p, register(p), 5)
    services_appeal.panel_propose(appeal=appeal, user=p.tech, members=p.panel[:3], chair=p.panel[0])
    services.letter_draft(appeal=appeal, user=p.staff, kind="usulan_panel")
    with CaptureQueriesContext(connection) as captured:
        card = selectors.card(appeal, p.staff)
        names = [letter.created_by.display_name for letter in card["letters"]]
    assert len(names) == 2  # the nota dinas of step 3 and the draft
    assert sum('"letters_letter"' in q["sql"] for q in captured.captured_queries) == 1
    # At step 5 the proposal exists already as a draft: nothing more of its kind is offered;
    # the receipt belongs to steps 2-3.
    assert selectors.card(appeal, p.tech)["letter_offers"] == []
    assert selectors.card(appeal, p.customer)["letter_offers"] == []


def test_a_record_first_step_offers_its_letter_only_once_recorded(p, rendered):
    appeal = walk(p, register(p), 5)
    assert selectors.card(appeal, p.tech)["letter_offers"] == []
    services_appeal.panel_propose(appeal=appeal, user=p.tech, members=p.panel[:3], chair=p.panel[0])
    appeal.refresh_from_db()
    assert [o.kind for o in selectors.card(appeal, p.tech)["letter_offers"]] == ["usulan_panel"]


def test_a_closed_appeal_offers_no_letter_to_draft(p, rendered):
    appeal = walk(p, register(p), 12)
    assert selectors.card(appeal, p.staff)["letter_offers"]
    walk(p, appeal, 13)
    appeal.refresh_from_db()
    assert selectors.card(appeal, p.staff)["letter_offers"] == []
