"""/sop/: the SOP document for every staff user, as a page and as a PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import Personas
from tests.test_csp import assert_strict

URL = "/sop/"


def test_it_is_mounted_at_sop():
    assert reverse("sop:document") == URL


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "tech"])
def test_it_shows_the_document_to_every_staff_role(client, p: Personas, who: str):
    client.force_login(getattr(p, who))

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dokumen SOP 5.1.24/BBSPJIKFK/2025" in html
    assert 'href="?format=pdf">Unduh PDF</a>' in html
    assert 'id="sop-langkah-12"' in html
    assert "/static/css/sop.css" in html


def test_it_shows_the_document_to_a_panel_member(client, p: Personas):
    client.force_login(p.panel[0])

    assert client.get(URL).status_code == 200


def test_it_refuses_a_customer(client, p: Personas):
    client.force_login(p.customer)

    response = client.get(URL)

    assert response.status_code == 403
    assert "Halaman ini khusus pegawai Balai." in response.content.decode()
    assert client.get(URL, {"format": "pdf"}).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_downloads_the_pdf(client, p: Personas):
    client.force_login(p.staff)

    response = client.get(URL, {"format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="sop-5.1.24-BBSPJIKFK-2025.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_the_page_keeps_the_strict_content_security_policy(client, p: Personas):
    client.force_login(p.head)

    response = client.get(URL)

    assert_strict(response)
    assert "<style" not in response.content.decode()


def test_the_staff_menu_links_the_document(client, p: Personas):
    client.force_login(p.staff)
    assert f'href="{URL}">Dokumen SOP</a>' in client.get(reverse("appeals:inbox")).content.decode()
