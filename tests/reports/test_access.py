"""One rule for who reads the reports, one menu for them in the navbar."""

import pytest
from django.test import Client

from tests.factories import Personas

REPORT_LINKS = (
    'href="/laporan/"',
    'href="/laporan/monitoring/"',
    'href="/laporan/tinjauan/"',
    'href="/survei/"',
)


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("head", True),
        ("lead", True),
        ("auditor", True),
        ("admin", True),
        ("staff", False),
        ("tech", False),
    ],
)
def test_the_reports_menu_is_shown_to_report_readers_only(p: Personas, persona: str, shown: bool):
    client = Client()
    client.force_login(getattr(p, persona))
    body = client.get("/sop/").content.decode()
    assert all((link in body) is shown for link in REPORT_LINKS), persona


@pytest.mark.parametrize(
    "url", ["/laporan/", "/laporan/monitoring/", "/laporan/tinjauan/", "/survei/"]
)
def test_every_report_refuses_other_staff_naming_its_readers(p: Personas, url: str):
    client = Client()
    client.force_login(p.staff)
    response = client.get(url)
    assert response.status_code == 403
    assert "dibuka oleh Kepala Balai, Ketua Tim PJTK, auditor dan administrator." in (
        response.content.decode()
    )
