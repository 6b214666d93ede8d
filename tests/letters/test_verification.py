"""The public verification page: identity and status, never the content; a true copy passes,
an altered one does not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from banding.letters import services
from tests.factories import PASSWORD, register
from tests.letters.conftest import issued, number_pdf

# What is checked here is the PDF WeasyPrint makes.
pytestmark = pytest.mark.weasyprint


def test_verification_shows_identity_not_content_and_checks_copies(p):
    appeal = register(p)
    letter = issued(appeal, "tanda_terima", p.staff, p.lead, catatan="Rahasia isi surat.")
    with letter.pdf.open("rb") as f:
        content = f.read()
    client = Client()  # nobody logged in
    url = f"/verifikasi/{letter.verification_code}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for shown in (
        letter.number,
        appeal.number,
        letter.sha256,
        "Tanda terima banding",
        "Berlaku",
        # Who issued it, by the institute's name, and who signed, in what capacity.
        "Surat ini diterbitkan oleh Balai Besar Standardisasi dan Pelayanan Jasa Industri "
        "Kimia, Farmasi dan Kemasan (BBSPJIKFK) dan masih berlaku.",
        p.lead.display_name,
        "a.n. Kepala Balai<br>Ketua Tim PJTK",
    ):
        assert shown in html
    for hidden in ("Rahasia isi surat.", "Budi Santoso", appeal.grounds, "PT Kimia Nusantara"):
        assert hidden not in html

    true_copy = client.post(url, {"berkas": SimpleUploadedFile("surat.pdf", content)})
    assert "Berkas ini sama persis dengan surat yang diterbitkan." in true_copy.content.decode()

    altered = content[:200] + bytes([content[200] ^ 1]) + content[201:]  # one bit flipped
    refused = client.post(url, {"berkas": SimpleUploadedFile("surat.pdf", altered)})
    assert "Berkas ini TIDAK sama dengan surat yang diterbitkan" in refused.content.decode()

    not_pdf = client.post(url, {"berkas": SimpleUploadedFile("surat.txt", b"teks biasa")})
    assert "tidak dapat diterima: isinya bukan" in not_pdf.content.decode()

    assert client.get("/verifikasi/tidak-ada/").status_code == 404


def test_a_superseded_letter_says_so(p, monkeypatch):
    monkeypatch.setattr("banding.letters.render.render_pdf", number_pdf)
    appeal = register(p)
    old = issued(appeal, "tanda_terima", p.staff, p.head)
    new = services.letter_issue(
        letter=services.letter_supersede(letter=old, user=p.staff, reason="Salah tanggal."),
        user=p.head,
        password=PASSWORD,
    )
    html = Client().get(f"/verifikasi/{old.verification_code}/").content.decode()
    assert "Digantikan" in html and new.number in html
    assert "Berlaku" not in html


def test_a_withdrawn_letter_says_so_with_its_reason(p, monkeypatch):
    monkeypatch.setattr("banding.letters.render.render_pdf", number_pdf)
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    services.letter_withdraw(letter=letter, user=p.head, reason="Dikirim ke alamat yang salah.")

    html = Client().get(f"/verifikasi/{letter.verification_code}/").content.decode()

    assert "Dicabut" in html and "Dikirim ke alamat yang salah." in html
    assert "Berlaku" not in html


def test_a_draft_has_no_verification_page(p):
    draft = services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima")
    assert draft.verification_code is None


def test_the_page_names_the_institute_of_the_setting_and_the_signer_with_the_position(
    p, settings, monkeypatch
):
    monkeypatch.setattr("banding.letters.render.render_pdf", number_pdf)
    settings.BANDING_INSTITUTE_NAME = "Balai Uji Contoh"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    p.head.position = "Kepala Balai Besar"
    p.head.save(update_fields=["position"])
    letter = issued(register(p), "tanda_terima", p.staff, p.head)

    page = Client().get(f"/verifikasi/{letter.verification_code}/", HTTP_HOST="127.0.0.1")

    html = page.content.decode()
    assert "Surat ini diterbitkan oleh Balai Uji Contoh dan masih berlaku." in html
    assert '<dd class="col-sm-8 penerbit">Balai Uji Contoh</dd>' in html
    assert f"{p.head.display_name}<br>" in html and "Kepala Balai Besar" in html
    assert "127.0.0.1" not in html  # the request's host names nothing
