"""The administrator's page of the signers' certificates: subject, issuer and validity of each,
a warning for one expiring within 30 days, the reason one cannot sign, the trust roots; only
for the administrator; its queries do not grow with the signers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from banding.accounts.roles import Role
from banding.platform.demo import certificates as demo_ca
from tests.factories import make_user

URL = "/surat/sertifikat/"
pytestmark = pytest.mark.pkcs12


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _install(settings, authority, user, **options) -> None:
    demo_ca.install(
        settings.BANDING_SIGNING["DIR"],
        authority,
        username=user.username,
        common_name=user.display_name,
        **options,
    )


def test_it_shows_each_signers_certificate_and_warns_before_expiry(p, settings, signing_authority):
    authority, _folder = signing_authority
    _install(settings, authority, p.head, title="Kepala Balai")
    soon = datetime.now(UTC) - timedelta(days=355)  # a year's certificate: 10 days left
    _install(settings, authority, p.lead, not_before=soon, lifetime=timedelta(days=365))
    expired = datetime.now(UTC) - timedelta(days=400)
    _install(settings, authority, p.staff, not_before=expired, lifetime=timedelta(days=365))
    response = _client(p.admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    rows = {r.split("</td>")[0]: r for r in html.split('<tr class="sertifikat">')[1:]}
    head = next(r for k, r in rows.items() if p.head.display_name in k)
    assert f"CN={p.head.display_name}" in head and "title=Kepala Balai" in head
    assert "CN=SiBanding DEMO CA (bukan untuk surat resmi)" in head
    assert "Berlaku" in head
    lead = next(r for k, r in rows.items() if p.lead.display_name in k)
    assert "Segera kedaluwarsa" in lead
    staff = next(r for k, r in rows.items() if p.staff.display_name in k)
    assert "Tidak dapat menandatangani" in staff and "kedaluwarsa sejak" in staff
    tech = next(r for k, r in rows.items() if p.tech.display_name in k)
    assert "belum dipasang" in tech
    assert "1 sertifikat kedaluwarsa dalam 30 hari; mintalah sertifikat baru." in html
    # Not signers: the auditor, the administrator, the customers.
    for other in (p.auditor, p.customer):
        assert not any(other.display_name in k for k in rows)
    assert '<li class="akar">' in html and "SiBanding DEMO CA" in html


def test_only_the_administrator_sees_it(p):
    for user in (p.head, p.lead, p.auditor):
        response = _client(user).get(URL)
        assert response.status_code == 403
        assert "Hanya administrator yang dapat melihat sertifikat" in response.content.decode()
    assert _client(p.customer).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the login


def test_its_queries_do_not_grow_with_the_signers(p):
    client = _client(p.admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for i in range(5):
        make_user(f"penanda_{i}", Role.TECHNICAL)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
