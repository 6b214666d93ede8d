"""The Surat card and letter pages: draft, edit, preview, issue, correct, download."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banding.appeals.services import appeal_close
from banding.letters import selectors, services
from banding.letters.models import Letter, LetterStatus
from tests.factories import register, walk
from tests.letters.conftest import pdf_text


@pytest.fixture
def rendered(monkeypatch):
    monkeypatch.setattr(
        "banding.letters.render.render_pdf", lambda letter: f"%PDF-1.7 {letter.number}".encode()
    )


def _url(letter: Letter, action: str = "") -> str:
    base = f"/banding/{letter.appeal.public_id}/surat/{letter.public_id}/"
    return base + (f"{action}/" if action else "")


def test_staff_drafts_edits_previews_and_issues_from_the_appeal_page(p, client):
    appeal = register(p)
    client.force_login(p.staff)
    page = client.get(f"/banding/{appeal.public_id}/").content.decode()
    assert 'id="judul-surat"' in page and "Buat draf Tanda terima banding" in page
    response = client.post(f"/banding/{appeal.public_id}/surat/baru/tanda_terima/")
    letter = Letter.objects.get(appeal=appeal)
    assert response.status_code == 302 and response["Location"] == _url(letter)

    form = client.get(_url(letter)).content.decode()
    assert "Budi Santoso" in form and "Terbitkan dan tandatangani" in form
    saved = client.post(
        _url(letter),
        {
            "kepada": "Bapak Budi Santoso\nPT Kimia Nusantara",
            "perihal": "Tanda terima",
            "catatan": "Harap maklum.",
        },
    )
    assert saved.status_code == 302
    letter.refresh_from_db()
    assert letter.fields["catatan"] == "Harap maklum."

    preview = client.get(_url(letter, "pratinjau"))
    assert preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content)
    assert "DRAF" in text and "Harap maklum." in text and "(nomor diberikan saat terbit)" in text

    issued = client.post(_url(letter, "terbitkan"))
    assert issued.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED and letter.signer == p.staff

    # Issued: no form, and a posted edit is refused with the reason.
    page = client.get(_url(letter)).content.decode()
    assert "Simpan draf" not in page and letter.number in page
    refused = client.post(_url(letter), {"perihal": "Diubah"})
    assert refused.status_code == 409
    assert "sudah terbit dan tidak dapat diubah" in refused.content.decode()
    assert client.post(_url(letter, "hapus")).status_code == 409
    assert client.get(_url(letter, "pratinjau")).status_code == 409
    letter.refresh_from_db()
    assert letter.fields["perihal"] == "Tanda terima"


def test_only_the_signer_issues(p, client, rendered):
    appeal = register(p)
    letter = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    client.force_login(p.lead)
    assert "Terbitkan dan tandatangani" not in client.get(_url(letter)).content.decode()
    refused = client.post(_url(letter, "terbitkan"))
    assert refused.status_code == 403
    assert "ditandatangani oleh Staff PJTK" in refused.content.decode()


def test_correction_from_the_page_keeps_both(p, client, rendered):
    appeal = register(p)
    old = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        user=p.staff,
    )
    client.force_login(p.staff)
    response = client.post(
        _url(old, "koreksi"), {"reason": "Perihal keliru.", "perihal": "Tanda terima (koreksi)"}
    )
    new = Letter.objects.get(supersedes=old)
    assert response["Location"] == _url(new)
    client.post(_url(new, "terbitkan"))
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (LetterStatus.SUPERSEDED, LetterStatus.ISSUED)
    assert new.fields["perihal"] == "Tanda terima (koreksi)"


def test_download_follows_appeal_visibility_and_customer_kinds(p, client, rendered):
    appeal = walk(p, register(p), 5)
    receipt = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        user=p.staff,
    )
    memo = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.lead, kind="nota_dinas"),
        user=p.lead,
    )
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    assert client.get(_url(receipt, "unduh")).status_code == 302  # to the login page
    client.force_login(p.auditor)
    for letter in (receipt, memo):
        response = client.get(_url(letter, "unduh"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == f"%PDF-1.7 {letter.number}".encode()
    assert client.get(_url(draft, "unduh")).status_code == 404
    client.force_login(p.customer)
    assert client.get(_url(receipt, "unduh")).status_code == 200
    assert client.get(_url(memo, "unduh")).status_code == 404  # internal memo
    assert client.get(_url(draft, "unduh")).status_code == 404
    assert client.get(_url(receipt)).status_code == 403  # staff pages stay staff-only
    client.force_login(p.customer_other)
    assert client.get(_url(receipt, "unduh")).status_code == 404


def test_the_card_reads_letters_in_one_query(p, rendered):
    appeal = walk(p, register(p), 5)
    for kind, user in (("tanda_terima", p.staff), ("nota_dinas", p.lead)):
        services.letter_draft(appeal=appeal, user=user, kind=kind)
    with CaptureQueriesContext(connection) as captured:
        card = selectors.card(appeal, p.staff)
        names = [letter.created_by.display_name for letter in card["letters"]]
    assert len(names) == 2
    assert sum('"letters_letter"' in q["sql"] for q in captured.captured_queries) == 1
    # At step 5: the proposal is offered to its actor; the receipt and memo exist already.
    assert [o.kind for o in selectors.card(appeal, p.tech)["letter_offers"]] == ["usulan_panel"]
    assert "usulan_panel" in [o.kind for o in selectors.card(appeal, p.staff)["letter_offers"]]
    assert selectors.card(appeal, p.customer)["letter_offers"] == []


def test_a_closed_appeal_offers_no_letter_to_draft(p, rendered):
    appeal = walk(p, register(p), 12)
    assert selectors.card(appeal, p.staff)["letter_offers"]
    appeal_close(
        appeal=appeal,
        user=p.staff,
        delivered_at=timezone.now(),
        channel="email",
        cabinet="L1",
        box="B1",
        folder="M1",
    )
    appeal.refresh_from_db()
    assert selectors.card(appeal, p.staff)["letter_offers"] == []
