"""Every issued letter carries a PAdES signature made with its signer's certificate: it
validates with pyHanko against the trust root, fails when one byte changes, shows where the
signature block is; a signer whose certificate is missing, unreadable or expired cannot issue,
and then nothing is numbered, stored or recorded."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from banding.audit.actions import Action
from banding.audit.models import Event
from banding.errors import Conflict
from banding.letters import services
from banding.letters.models import Letter, LetterSequence, LetterStatus
from banding.letters.signing.config import password_variable
from banding.platform.demo import certificates as demo_ca
from tests.api.conftest import api  # noqa: F401  (the `api` fixture)
from tests.factories import PASSWORD, issued, register


def _trust(authority) -> ValidationContext:
    root = asn1_x509.Certificate.load(authority.certificate.public_bytes(Encoding.DER))
    return ValidationContext(trust_roots=[root])


def _status(content: bytes, authority):
    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    return validate_pdf_signature(signature, _trust(authority))


def _stored(letter: Letter) -> bytes:
    with letter.pdf.open("rb") as f:
        return f.read()


def test_an_issued_letter_validates_against_the_trust_root_with_its_signer(p, signing_authority):
    authority, _folder = signing_authority
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    status = _status(_stored(letter), authority)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == p.head.username
    assert status.coverage.name == "ENTIRE_FILE"


def test_changing_one_byte_fails_validation(p, signing_authority):
    authority, _folder = signing_authority
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    content = bytearray(_stored(letter))
    at = content.index(b"Tj")  # a byte of the letter's text, inside the signed range
    content[at - 2] = ord("X") if content[at - 2] != ord("X") else ord("Y")
    status = _status(bytes(content), authority)
    assert not status.intact and not status.bottom_line


def test_a_letter_of_another_authority_is_not_trusted(p, signing_authority):
    _authority, _folder = signing_authority
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    other = demo_ca.new_authority(name="Otoritas Lain")
    status = _status(_stored(letter), other)
    assert status.intact and not status.trusted and not status.bottom_line


@pytest.mark.weasyprint
def test_the_visible_signature_is_in_the_signature_block(p):
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    reader = PdfReader(io.BytesIO(_stored(letter)))
    fields = [
        (number, annotation.get_object())
        for number, page in enumerate(reader.pages)
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/FT") == "/Sig"
    ]
    assert len(fields) == 1
    number, widget = fields[0]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert x2 - x1 > 150 and y2 - y1 > 40  # visible, not a zero-size field
    # On the page of the signature block, in its column, just above the signer's name.
    page = reader.pages[number]
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        for needle in ("Ditandatangani secara elektronik", p.head.display_name):
            if text.strip() == needle or (needle in text and len(needle) > 10):
                # Where the text is on the page: its matrix, then the page's.
                found.setdefault(needle, (cm[0] * tm[4] + cm[4], cm[3] * tm[5] + cm[5]))

    page.extract_text(visitor_text=visit)
    assert set(found) == {"Ditandatangani secara elektronik", p.head.display_name}
    line_x, line_y = found["Ditandatangani secara elektronik"]
    _name_x, name_y = found[p.head.display_name]
    assert abs(x1 - line_x) < 5
    assert name_y < y1 < y2 < line_y + 12


# --- refused: nothing numbered, stored or recorded -------------------------------------------


def _refused(p, settings, code: str) -> None:
    letter = services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima")
    before = set(LetterSequence.objects.values_list("kind", "year", "last"))
    media = settings.STORAGES["default"]["OPTIONS"]["location"]
    with pytest.raises(Conflict) as refused:
        services.letter_issue(letter=letter, user=p.head, password=PASSWORD)
    assert refused.value.code == code
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT
    assert (letter.number, letter.sequence, letter.sha256, letter.pdf.name) == ("", None, "", "")
    assert set(LetterSequence.objects.values_list("kind", "year", "last")) == before
    assert not list(media.glob("letters/**/*.pdf"))
    assert not Event.objects.filter(action=Action.LETTER_ISSUED).exists()


def _install(folder, authority, user, **options) -> None:
    demo_ca.install(
        folder, authority, username=user.username, common_name=user.display_name, **options
    )


@pytest.mark.pkcs12
def test_a_signer_without_a_certificate_is_refused(p, settings):
    _refused(p, settings, "certificate_missing")


@pytest.mark.pkcs12
def test_a_wrong_pkcs12_password_is_refused(p, settings, signing_authority, monkeypatch):
    authority, folder = signing_authority[0], settings.BANDING_SIGNING["DIR"]
    _install(folder, authority, p.head, password="benar-sekali")
    monkeypatch.setenv(password_variable(p.head.username), "salah")
    _refused(p, settings, "certificate_unreadable")


@pytest.mark.pkcs12
def test_an_expired_certificate_is_refused(p, settings, signing_authority):
    authority, folder = signing_authority[0], settings.BANDING_SIGNING["DIR"]
    start = datetime.now(UTC) - timedelta(days=400)
    _install(folder, authority, p.head, not_before=start, lifetime=timedelta(days=365))
    _refused(p, settings, "certificate_expired")


@pytest.mark.pkcs12
def test_a_signer_signs_with_the_pkcs12_file_and_its_secret_file(p, settings, signing_authority):
    authority, folder = signing_authority[0], settings.BANDING_SIGNING["DIR"]
    _install(folder, authority, p.head)
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    status = _status(_stored(letter), authority)
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == p.head.display_name


@pytest.mark.pkcs12
def test_the_password_in_the_environment_wins_over_the_secret_file(
    p, settings, signing_authority, monkeypatch
):
    authority, folder = signing_authority[0], settings.BANDING_SIGNING["DIR"]
    _install(folder, authority, p.head, password="dari-lingkungan")
    (folder / f"{p.head.username}.password").write_text("basi\n")
    monkeypatch.setenv(password_variable(p.head.username), "dari-lingkungan")
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    assert letter.status == LetterStatus.ISSUED


def test_the_password_variable_names_the_username_in_capitals():
    assert password_variable("teknis.uji") == "BANDING_SIGNING_PASSWORD_TEKNIS_UJI"


@pytest.mark.pkcs12
def test_the_api_and_the_page_refuse_a_signer_without_a_certificate(p, api):  # noqa: F811
    from django.test import Client

    letter = services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima")
    base = f"/appeals/{letter.appeal.public_id}/letters/{letter.public_id}"
    answer = api(p.head).post(f"{base}/issue", {"password": PASSWORD})
    assert answer.status_code == 409
    assert answer.json()["code"] == "certificate_missing"
    assert "Sertifikat tanda tangan elektronik Anda belum dipasang" in answer.json()["message"]
    client = Client()
    client.force_login(p.head)
    page = client.post(
        f"/banding/{letter.appeal.public_id}/surat/{letter.public_id}/terbitkan/",
        {"password": PASSWORD},
    )
    assert page.status_code == 409
    assert "belum dipasang; surat tidak diterbitkan" in page.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT and letter.number == ""


def test_a_timestamp_server_when_set_timestamps_the_signature(
    p, settings, signing_authority, monkeypatch
):
    from asn1crypto import keys as asn1_keys
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    authority, _folder = signing_authority
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA
    tsa = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA Uji")]))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2000, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2090, 1, 1, tzinfo=UTC))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(authority.key, hashes.SHA256())
    )
    asked = []

    def server(url):
        asked.append(url)
        return DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(tsa.public_bytes(Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(
                    Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )

    monkeypatch.setattr("pyhanko.sign.timestamps.HTTPTimeStamper", server)
    settings.BANDING_SIGNING = {**settings.BANDING_SIGNING, "TSA_URL": "http://tsa.example/"}
    letter = issued(register(p), "tanda_terima", p.staff, p.head)
    assert asked == ["http://tsa.example/"]
    status = _status(_stored(letter), authority)
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted


def test_a_correction_is_signed_anew(p, signing_authority):
    authority, _folder = signing_authority
    first = issued(register(p), "tanda_terima", p.staff, p.head)
    draft = services.letter_supersede(letter=first, user=p.head, reason="Perihal keliru.")
    second = services.letter_issue(letter=draft, user=p.head, password=PASSWORD)
    assert second.sha256 != first.sha256
    for letter in (first, second):
        assert _status(_stored(letter), authority).bottom_line


@pytest.mark.pkcs12
def test_the_letter_page_tells_the_signer_before_they_try(p, settings, signing_authority):
    from django.test import Client

    letter = services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima")
    url = f"/banding/{letter.appeal.public_id}/surat/{letter.public_id}/"
    client = Client()
    client.force_login(p.head)
    html = client.get(url).content.decode()
    assert "Sertifikat tanda tangan elektronik Anda belum dipasang" in html
    soon = datetime.now(UTC) - timedelta(days=355)
    _install(
        settings.BANDING_SIGNING["DIR"],
        signing_authority[0],
        p.head,
        not_before=soon,
        lifetime=timedelta(days=365),
    )
    html = client.get(url).content.decode()
    assert "belum dipasang" not in html
    assert "Sertifikat tanda tangan elektronik Anda berlaku sampai" in html
    # The drafter, who does not sign, is told nothing of certificates.
    client.force_login(p.staff)
    assert "sertifikat-saya" not in client.get(url).content.decode()
