"""The portal: the duplicate warning of an online submission, and the customer's withdrawal of
an open appeal (portal/_withdraw.html), shown then as such in its page and history."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals import services
from banding.appeals.models import Appeal, Status
from banding.notifications.models import Kind, Notification
from tests.factories import register, walk
from tests.portal.helpers import submit
from tests.portal.test_home_and_submit import SUBMIT, form_data
from tests.state import capture

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def appeal_url(appeal: Appeal) -> str:
    return reverse("portal:appeal", args=[appeal.public_id])


def withdraw_url(appeal: Appeal) -> str:
    return reverse("portal:withdraw", args=[appeal.public_id])


# --- the duplicate warning ------------------------------------------------------------------


def test_a_submission_of_an_open_complaint_shows_it_and_asks_to_confirm(client, p):
    first = submit(p, complaint_reference="KEL/2026/017")
    client.force_login(p.customer)
    before = capture()

    response = client.post(SUBMIT, form_data(complaint_reference="kel/2026/017 "))

    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="peringatan-duplikat"' in body
    assert f'<a href="{appeal_url(first)}">{first.number}</a>' in body
    assert "diterima 2 Maret 2026" in body and "Berjalan" in body
    assert 'name="confirm_new"' in body
    assert capture() == before

    response = client.post(SUBMIT, form_data(complaint_reference="kel/2026/017", confirm_new="on"))
    assert response.status_code == 302
    assert Appeal.objects.count() == 2


# --- the withdrawal -------------------------------------------------------------------------


def test_the_appeal_page_offers_the_withdrawal_behind_a_confirmation(client, p):
    appeal = submit(p)
    client.force_login(p.customer)
    body = client.get(appeal_url(appeal)).content.decode()
    assert 'id="cabut-banding"' in body and withdraw_url(appeal) in body
    assert 'name="cabut-confirm"' in body and "Ya, cabut banding ini" in body


def test_the_customer_withdraws_and_reads_it_in_its_page_and_history(client, p):
    appeal = walk(p, register(p), 5)
    client.force_login(p.customer)

    response = client.post(
        withdraw_url(appeal), {"cabut-reason": "Sudah selesai secara damai.", "cabut-confirm": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == appeal_url(appeal)
    appeal.refresh_from_db()
    assert appeal.status == Status.WITHDRAWN
    assert Notification.objects.filter(kind=Kind.APPEAL_WITHDRAWN, recipient=p.customer).exists()
    body = client.get(appeal_url(appeal)).content.decode()
    assert f"Banding {appeal.number} telah dicabut; penanganannya dihentikan." in body
    assert "Permohonan banding Anda dicabut." in body  # the outcome
    assert "Sudah selesai secara damai." in body
    assert "Permohonan banding dicabut melalui portal." in body  # the history
    assert 'id="cabut-banding"' not in body  # nothing left to withdraw


def test_a_withdrawal_without_the_confirmation_writes_nothing(client, p):
    appeal = submit(p)
    client.force_login(p.customer)
    before = capture()
    response = client.post(withdraw_url(appeal), {"cabut-reason": "x"})
    assert response.status_code == 400
    assert "Centang pernyataan ini untuk mencabut banding." in response.content.decode()
    assert capture() == before


def test_a_closed_appeal_cannot_be_withdrawn(client, p):
    appeal = walk(p, register(p), 99)
    client.force_login(p.customer)
    assert 'id="cabut-banding"' not in client.get(appeal_url(appeal)).content.decode()
    before = capture()
    response = client.post(withdraw_url(appeal), {"cabut-confirm": "on"})
    assert response.status_code == 409
    assert (
        f"Banding {appeal.number} sudah selesai; tidak dapat dicabut atau ditutup lagi."
        in response.content.decode()
    )
    assert capture() == before


def test_another_organisations_appeal_is_not_found(client, p):
    appeal = register(p)
    client.force_login(p.customer_other)
    before = capture()
    response = client.post(withdraw_url(appeal), {"cabut-confirm": "on"})
    assert response.status_code == 404
    assert capture() == before


def test_a_duplicate_reads_as_such_on_the_portal(client, p):
    original, appeal = submit(p), submit(p)
    services.appeal_close_duplicate(
        appeal=appeal, user=p.staff, original=original, reason="Diajukan dua kali."
    )
    client.force_login(p.customer)
    body = client.get(appeal_url(appeal)).content.decode()
    assert "Ditutup (duplikat)" in body
    assert f"sama dengan permohonan banding {original.number}" in body
    home = client.get(reverse("portal:home")).content.decode()
    assert "Ditutup (duplikat)" in home


def test_the_withdrawal_form_costs_the_page_no_query(client, p):
    small = submit(p)
    big = walk(p, register(p), 7)
    client.force_login(p.customer)
    counts = []
    for appeal in (small, big, small):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(appeal_url(appeal)).status_code == 200
        counts.append(len(captured))
    assert counts[1] == counts[2]
