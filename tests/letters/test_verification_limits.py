"""The public verification page's limits: page views and uploads per client address (429,
counted in Django's cache) and the size of an upload (413, refused from its Content-Length
before its body is read)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import register
from tests.letters.conftest import issued


def _letter(p):
    appeal = register(p)
    return issued(appeal, "tanda_terima", p.staff, p.lead)


def test_lookups_are_limited_per_client_address(p, settings):
    settings.BANDING_VERIFY_LOOKUPS_PER_HOUR = 3
    url = f"/verifikasi/{_letter(p).verification_code}/"
    client = Client()
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="10.0.0.5").status_code == 200
    # guessing codes counts too
    refused = client.get("/verifikasi/tebakan/", REMOTE_ADDR="10.0.0.5")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert "Terlalu banyak halaman verifikasi surat yang dibuka dari alamat Anda" in html
    assert client.get(url, REMOTE_ADDR="10.0.0.5").status_code == 429
    # another address is counted on its own
    assert client.get(url, REMOTE_ADDR="10.0.0.6").status_code == 200


def test_uploads_are_limited_per_client_address(p, settings):
    settings.BANDING_VERIFY_UPLOADS_PER_HOUR = 2
    url = f"/verifikasi/{_letter(p).verification_code}/"
    client = Client()
    for _ in range(2):
        answer = client.post(url, {"berkas": SimpleUploadedFile("s.pdf", b"%PDF-1.4 lain")})
        assert answer.status_code == 200
    refused = client.post(url, {"berkas": SimpleUploadedFile("s.pdf", b"%PDF-1.4 lain")})
    assert refused.status_code == 429
    assert "Terlalu banyak berkas yang diperiksa dari alamat Anda" in refused.content.decode()
    # the page itself can still be read
    assert client.get(url).status_code == 200


def test_a_large_upload_is_refused_before_its_body_is_read(p, settings, monkeypatch):
    settings.BANDING_VERIFY_UPLOAD_MAX_BYTES = 1000
    url = f"/verifikasi/{_letter(p).verification_code}/"
    read = []
    monkeypatch.setattr(
        "django.http.request.HttpRequest._load_post_and_files",
        lambda self: read.append(True),
    )
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * 40_000)
    response = Client().post(url, {"berkas": big})
    assert response.status_code == 413
    assert not read
    assert "Berkas terlalu besar untuk diperiksa: batasnya 1000 byte" in response.content.decode()


def test_a_file_over_the_limit_within_the_form_is_refused(p, settings):
    settings.BANDING_VERIFY_UPLOAD_MAX_BYTES = 1000
    url = f"/verifikasi/{_letter(p).verification_code}/"
    response = Client().post(
        url, {"berkas": SimpleUploadedFile("s.pdf", b"%PDF-1.4\n" + b"0" * 1200)}
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar untuk diperiksa" in response.content.decode()


def test_the_page_says_the_upload_limit(p):
    html = Client().get(f"/verifikasi/{_letter(p).verification_code}/").content.decode()
    assert "Ukuran berkas paling besar 5 MB." in html


def test_the_upload_still_needs_the_csrf_token(p):
    url = f"/verifikasi/{_letter(p).verification_code}/"
    client = Client(enforce_csrf_checks=True)
    answer = client.post(url, {"berkas": SimpleUploadedFile("s.pdf", b"%PDF-1.4 lain")})
    assert answer.status_code == 403
