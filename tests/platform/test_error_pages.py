"""The error pages: Indonesian 400, 403, 404 and 500 in the staff layout, and in the portal's
layout under /portal/; JSON in the API's error shape for every path under /api/v1/, known or
not. DEBUG is off (pytest-django's default)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from banding.accounts.services import api_token_create
from banding.api.errors import SERVER_ERROR, TOO_LARGE

pytestmark = pytest.mark.django_db
CRASH_URLS = "tests.platform.crash_urls"
PORTAL_NAV = 'aria-label="Navigasi portal"'
STAFF_NAV = 'aria-label="Navigasi utama"'


def text(response) -> str:
    return response.content.decode()


def too_big() -> bytes:
    return b"a=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


def test_an_unknown_staff_page_is_the_indonesian_404_in_the_staff_layout(client):
    response = client.get("/tidak-ada/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in text(response)
    assert STAFF_NAV in text(response) and PORTAL_NAV not in text(response)


def test_an_unknown_portal_page_is_the_404_in_the_portal_layout(client, p):
    client.force_login(p.customer)

    response = client.get("/portal/tidak-ada/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in text(response)
    assert PORTAL_NAV in text(response) and STAFF_NAV not in text(response)


def test_a_too_big_form_is_the_indonesian_400_not_djangos_bad_request(client, p):
    client.force_login(p.staff)

    response = client.post(
        "/banding/baru/", too_big(), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "Bad Request" not in text(response)
    assert "Data yang dikirim terlalu besar" in text(response)
    assert STAFF_NAV in text(response)


def test_a_too_big_portal_form_is_the_400_in_the_portal_layout(client, p):
    client.force_login(p.customer)

    response = client.post(
        "/portal/ajukan/", too_big(), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "Bad Request" not in text(response)
    assert "Data yang dikirim terlalu besar" in text(response)
    assert PORTAL_NAV in text(response)


@pytest.mark.urls(CRASH_URLS)
def test_a_suspicious_portal_request_is_the_portal_400(client):
    response = client.get("/portal/uji-aneh/")

    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in text(response)
    assert PORTAL_NAV in text(response)


def test_a_refused_portal_form_is_the_indonesian_403_in_the_portal_layout(p):
    client = Client(enforce_csrf_checks=True)
    client.force_login(p.customer)

    response = client.post("/portal/ajukan/", {"subject": "x"})

    assert response.status_code == 403
    assert "Akses ditolak" in text(response) and "kedaluwarsa" in text(response)
    assert PORTAL_NAV in text(response) and "CSRF verification failed" not in text(response)


def test_a_refused_staff_form_is_the_indonesian_403_in_the_staff_layout(p):
    client = Client(enforce_csrf_checks=True)
    client.force_login(p.staff)

    response = client.post("/banding/baru/", {"subject": "x"})

    assert response.status_code == 403
    assert "Akses ditolak" in text(response) and STAFF_NAV in text(response)


def test_a_customer_on_a_staff_page_gets_the_403_with_its_reason(client, p):
    client.force_login(p.customer)

    response = client.get("/banding/")

    assert response.status_code == 403
    assert "Halaman ini khusus pegawai Balai." in text(response)


@pytest.mark.urls(CRASH_URLS)
@pytest.mark.parametrize(
    ("path", "nav", "before_the_view"),
    [
        # The session limits read the session before every view (banding.accounts.sessions).
        ("/uji-gagal/", STAFF_NAV, 1),
        # Under /portal/ the language middleware reads the session and the signed-in user's
        # language before the view runs (banding.portal.language); the page asks nothing.
        ("/portal/uji-gagal/", PORTAL_NAV, 2),
    ],
)
def test_a_failure_is_the_indonesian_500_without_a_traceback(
    p, path, nav, before_the_view, django_assert_num_queries
):
    client = Client(raise_request_exception=False)
    client.force_login(p.staff)

    # Nothing asks the database: not the page, not its layout (no user, no notices).
    with django_assert_num_queries(before_the_view):
        response = client.get(path)

    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in text(response)
    assert nav in text(response)
    assert "rahasia di jejak tumpukan" not in text(response)
    assert p.staff.display_name not in text(response)  # no user: nothing of the request


# --- the API: JSON for every path -------------------------------------------------------------


def test_an_unknown_api_path_is_a_json_404(client):
    for path in ("/api/v1/nope", "/api/v1/nope/lebih/dalam/", "/api/v2/appeals", "/api/"):
        response = client.get(path)

        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"code": "not_found", "message": "Tidak ditemukan.", "fields": {}}


def test_an_unknown_api_path_is_json_in_debug_too(client, settings):
    settings.DEBUG = True

    response = client.get("/api/v1/nope")

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_wrong_method_is_a_json_405_with_the_allowed_methods(client):
    response = client.delete("/api/v1/sop")

    assert response.status_code == 405
    assert response.json() == {
        "code": "method_not_allowed",
        "message": "Metode permintaan ini tidak diizinkan.",
        "fields": {},
    }
    assert response["Allow"] == "GET"
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response


@pytest.mark.urls(CRASH_URLS)
def test_an_unhandled_failure_under_the_api_is_a_json_500():
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/uji-gagal")

    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": SERVER_ERROR, "fields": {}}
    assert b"rahasia" not in response.content and b"Traceback" not in response.content


def test_a_too_big_api_request_is_a_json_400(client, p):
    _, token = api_token_create(user=p.staff, name="uji")

    response = client.post(
        "/api/v1/appeals",
        too_big(),
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 400
    assert response.json() == {"code": "request_too_large", "message": TOO_LARGE, "fields": {}}
