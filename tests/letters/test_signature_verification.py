"""The public verification page and `banding letters verify` check an uploaded letter's PAdES
signature: signer, time and integrity for a genuine letter; a letter signed with a certificate
outside the trust root, an altered one, and files that are not a signed letter (not a PDF,
truncated, unsigned, signed twice, too large) get a clear answer, never a server error."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from banding.letters.signing import pades
from banding.letters.signing.certificates import Credential
from banding.platform.demo import certificates as demo_ca
from banding.platform.demo import pdf_bytes
from tests.factories import register
from tests.letters.conftest import issued


def _genuine(p) -> tuple[str, bytes]:
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    with letter.pdf.open("rb") as f:
        return f"/verifikasi/{letter.verification_code}/", f.read()


def _forged(content: bytes) -> bytes:
    """The same letter as issued, signed instead by a certificate of another authority."""
    other = demo_ca.new_authority(name="Otoritas Palsu")
    key, certificate = demo_ca.issue(other, common_name="Kepala")
    credential = Credential(key=key, certificate=certificate, chain=(other.certificate,))
    return pades.sign(content, credential, capacity="Kepala Balai", when="-", reason="palsu")


def _unsigned_part(content: bytes) -> bytes:
    # The signature is one incremental update at the end: what came before it is unsigned.
    return content[: content.index(b"%%EOF") + len(b"%%EOF\n")]


def _signed_twice(content: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    other = demo_ca.new_authority(name="Otoritas Kedua")
    key, certificate = demo_ca.issue(other, common_name="Penanda Kedua")
    credential = Credential(key=key, certificate=certificate, chain=())
    again = pades.sign(
        _unsigned_part(content), credential, capacity="-", when="-", reason="pertama"
    )
    signer = signers.SimpleSigner(
        signing_cert=pades.asn1_certificate(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(again))
    meta = signers.PdfSignatureMetadata(field_name="Kedua")
    return signers.PdfSigner(meta, signer=signer).sign_pdf(writer).getvalue()


def _upload(client: Client, url: str, content: bytes, name: str = "surat.pdf") -> str:
    response = client.post(url, {"berkas": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_reports_signer_time_and_integrity_of_a_genuine_letter(p):
    url, content = _genuine(p)
    html = _upload(Client(), url, content)
    assert "Berkas ini sama persis dengan surat yang diterbitkan." in html
    assert "Tanda tangan elektronik sah: berkas utuh sejak ditandatangani oleh kepala pada" in html
    assert "utuh sejak ditandatangani" in html
    assert "sampai ke otoritas sertifikat yang dipercaya" in html
    assert "WIB" in html


def test_the_page_speaks_the_language_of_the_browser_that_opens_it(p):
    """Whoever received the letter opens its QR code: an English browser reads the page and
    the signature's check in English, the letter's own facts as issued."""
    url, content = _genuine(p)
    english = Client(headers={"accept-language": "en"})
    page = english.get(url).content.decode()
    assert "Letter verification" in page and "Verifikasi surat" not in page
    html = _upload(english, url, content)
    assert "This file is exactly the letter issued." in html
    assert "The electronic signature is valid: the file is intact since kepala signed it" in html
    assert "reaches a trusted certificate authority" in html
    # Without a preference: Indonesian, as before.
    assert "Verifikasi surat" in Client().get(url).content.decode()


def test_the_page_refuses_a_letter_signed_outside_the_trust_root(p):
    url, content = _genuine(p)
    html = _upload(Client(), url, _forged(_unsigned_part(content)))
    assert "Berkas ini TIDAK sama dengan surat yang diterbitkan" in html
    assert "tidak berasal dari otoritas sertifikat yang dipercaya" in html
    assert "Otoritas Palsu" in html
    assert "Tanda tangan elektronik sah" not in html


def test_the_page_refuses_an_altered_letter(p):
    url, content = _genuine(p)
    at = content.index(b"Tj")
    altered = content[: at - 2] + b"X" + content[at - 1 :]
    html = _upload(Client(), url, altered)
    assert "isi berkas telah diubah setelah ditandatangani" in html


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda c: c[: len(c) // 2], "rusak atau tidak lengkap"),
        (lambda c: _unsigned_part(c), "tidak memuat tanda tangan elektronik"),
        (lambda c: pdf_bytes("Surat lain", ["tanpa tanda tangan"]), "tidak memuat tanda tangan"),
        (_signed_twice, "memuat 2 tanda tangan elektronik"),
        (lambda c: b"%PDF-1.7\n" + b"\x00" * 500, "rusak atau tidak lengkap"),
    ],
    ids=["truncated", "signature-cut-off", "unsigned", "signed-twice", "garbage"],
)
def test_the_page_answers_a_file_that_is_not_a_signed_letter(p, make, said):
    url, content = _genuine(p)
    html = _upload(Client(), url, make(content))
    assert said in html


def test_the_page_refuses_a_file_that_is_not_a_pdf(p):
    url, _content = _genuine(p)
    html = _upload(Client(), url, b"Ini hanya teks biasa, bukan surat.", name="surat.pdf")
    assert "isinya bukan" in html


def test_a_30_mb_upload_is_refused_with_a_message(p):
    url, _content = _genuine(p)
    big = b"%PDF-1.7\n" + b"0" * (30 * 1024 * 1024)
    response = Client().post(url, {"berkas": SimpleUploadedFile("besar.pdf", big)})
    assert response.status_code == 413
    assert "Berkas terlalu besar untuk diperiksa: batasnya 5 MB." in response.content.decode()


# --- banding letters verify -----------------------------------------------------------------


def _file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "surat.pdf"
    path.write_bytes(content)
    return path


def test_the_command_reports_a_genuine_letter(p, tmp_path):
    _url, content = _genuine(p)
    out = io.StringIO()
    call_command("letters", "verify", str(_file(tmp_path, content)), stdout=out)
    text = out.getvalue()
    assert "Penanda tangan: kepala" in text
    assert "Waktu tanda tangan: " in text and " WIB" in text
    assert "Keutuhan: utuh sejak ditandatangani" in text
    assert "Rantai sertifikat: sampai ke akar kepercayaan" in text
    assert "Tanda tangan elektronik sah" in text


def test_the_command_refuses_a_forged_letter(p, tmp_path):
    _url, content = _genuine(p)
    out = io.StringIO()
    with pytest.raises(CommandError, match="tidak berasal dari otoritas sertifikat"):
        call_command(
            "letters",
            "verify",
            str(_file(tmp_path, _forged(_unsigned_part(content)))),
            stdout=out,
        )
    assert "Rantai sertifikat: TIDAK dipercaya" in out.getvalue()


def test_the_command_trusts_the_roots_it_is_given(p, tmp_path):
    _url, content = _genuine(p)
    other = tmp_path / "lain.pem"
    other.write_bytes(
        demo_ca.new_authority(name="Lain").certificate.public_bytes(serialization.Encoding.PEM)
    )
    with pytest.raises(CommandError, match="tidak berasal dari otoritas sertifikat"):
        call_command(
            "letters", "verify", str(_file(tmp_path, content)), "--trust-roots", str(other)
        )


def test_the_command_refuses_what_is_not_a_pdf_or_not_there(tmp_path):
    with pytest.raises(CommandError, match="Berkas ini bukan PDF"):
        call_command("letters", "verify", str(_file(tmp_path, b"teks")), stdout=io.StringIO())
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("letters", "verify", str(tmp_path / "tidak-ada.pdf"))


@pytest.mark.pkcs12
def test_a_letter_stays_valid_after_its_signers_certificate_expires(p, settings, signing_authority):
    import time_machine

    from banding.letters import services
    from banding.letters.signing.verification import check_signature
    from tests.factories import PASSWORD

    start = datetime.now(UTC) - timedelta(days=10)
    demo_ca.install(
        settings.BANDING_SIGNING["DIR"],
        signing_authority[0],
        username=p.head.username,
        common_name="Kepala Balai Uji",
        not_before=start,
        lifetime=timedelta(days=20),
    )
    letter = services.letter_issue(
        letter=services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima"),
        user=p.head,
        password=PASSWORD,
    )
    with letter.pdf.open("rb") as f:
        content = f.read()
    with time_machine.travel(start + timedelta(days=60)):
        check = check_signature(content)
    assert check.ok and check.signer == "Kepala Balai Uji"


def test_a_withdrawn_letter_shows_its_status_beside_its_still_valid_signature(p):
    from banding.letters import services

    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    services.letter_withdraw(letter=letter, user=p.head, reason="Dikirim ke alamat yang salah.")
    with letter.pdf.open("rb") as f:
        html = _upload(Client(), f"/verifikasi/{letter.verification_code}/", f.read())
    assert "Dicabut" in html and "Dikirim ke alamat yang salah." in html
    assert "Tanda tangan elektronik sah" in html


def test_signing_and_checking_work_where_an_event_loop_runs(p):
    # pyHanko's synchronous calls use asyncio.run(): an async view or a test driving a
    # browser has a loop running in its thread.
    import asyncio

    from banding.letters.signing.verification import check_signature

    _url, content = _genuine(p)
    other = demo_ca.new_authority(name="Otoritas Lain")
    key, certificate = demo_ca.issue(other, common_name="Penanda")
    credential = Credential(key=key, certificate=certificate, chain=(other.certificate,))

    async def inside() -> tuple[bool, str]:
        signed = pades.sign(_unsigned_part(content), credential, capacity="-", when="-", reason="-")
        return check_signature(content).ok, check_signature(signed).code

    assert asyncio.run(inside()) == (True, "untrusted")
