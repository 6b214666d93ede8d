"""Login, logout, the navigation and the staff-only gate."""

from __future__ import annotations

from django.urls import reverse

from banding.appeals.views.common import STAFF_ONLY
from tests.factories import register


def test_anonymous_is_sent_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/"
    page = client.get("/masuk/")
    assert page.status_code == 200
    assert "Masuk ke SiBanding" in page.content.decode()


def test_login_leads_to_tugas_saya_and_logout_back(client, p):
    response = client.post("/masuk/", {"username": "staff", "password": "rahasia-uji-123"})
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing["Location"] == reverse("appeals:inbox")
    page = client.get(landing["Location"])
    assert "Tugas saya" in page.content.decode()
    response = client.post("/keluar/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/"
    assert client.get("/").status_code == 302


def test_wrong_password_is_explained(client, p):
    response = client.post("/masuk/", {"username": "staff", "password": "salah"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_customers_are_refused_from_the_staff_workspace(client, p):
    appeal = register(p)
    client.force_login(p.customer)
    for url in ("/banding/", "/banding/baru/", f"/banding/{appeal.public_id}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert STAFF_ONLY in response.content.decode()
        assert response.templates[0].name == "403.html"


def test_navbar_shows_name_roles_and_the_links_of_the_role(client, p):
    client.force_login(p.staff)
    body = client.get("/").content.decode()
    # The name in the bar; its roles in the account menu under it.
    assert 'title="Staff">Staff</button>' in body
    assert '<p class="dropdown-item-text small text-body-secondary mb-1">Staff PJTK</p>' in body
    for link in ('href="/"', 'href="/banding/"', 'href="/banding/baru/"', 'href="/akun/token/"'):
        assert link in body
    assert 'href="/admin/"' not in body
    assert 'action="/keluar/"' in body
    client.force_login(p.lead)
    body = client.get("/").content.decode()
    assert 'href="/banding/baru/"' not in body
    client.force_login(p.admin)
    assert 'href="/admin/"' in client.get("/").content.decode()
