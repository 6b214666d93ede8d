"""The "Banding serupa sebelumnya" card of the staff appeal page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import register, walk
from tests.similar_history import GROUNDS, build
from tests.web.helpers import detail_url


@pytest.fixture
def h(p, time_machine):
    return build(p, time_machine)


def test_it_shows_the_lead_the_similar_closed_appeals_in_order(client, p, h):
    client.force_login(p.lead)
    response = client.get(detail_url(h.target))

    listed = [s.appeal.number for s in response.context["similar"]]
    assert listed == [
        h.same_reference.number,
        h.same_words.number,
        h.same_customer.number,
        h.rejected.number,
    ]
    body = response.content.decode()
    assert "Banding serupa sebelumnya" in body
    assert f'href="{detail_url(h.same_words)}"' in body
    assert "PT Farmasi Sejahtera" in body
    assert "ditutup 3 Maret 2026" in body  # same_words closed on 3 March
    assert "Ditolak tidak relevan" in body
    assert "Diterima sebagian" in body
    assert "Mirip karena: dokumen acuan sama, pelanggan sama, jenis layanan sama" in body
    assert h.still_open.number not in listed


@pytest.mark.parametrize("who", ["head", "auditor"])
def test_the_head_and_auditor_see_it_too(client, p, h, who):
    client.force_login(getattr(p, who))
    response = client.get(detail_url(h.target))
    assert len(response.context["similar"]) == 4


def test_the_appeals_panel_sees_it_and_staff_and_another_technical_user_do_not(client, p, h):
    appeal = walk(p, h.target, 7)
    client.force_login(p.panel[1])
    assert len(client.get(detail_url(appeal)).context["similar"]) == 4
    for user in (p.staff, p.panel[3]):
        client.force_login(user)
        response = client.get(detail_url(appeal))
        assert response.context["similar"] is None
        assert "Banding serupa sebelumnya" not in response.content.decode()


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_never_reach_the_staff_page(client, p, h, who):
    client.force_login(getattr(p, who))
    response = client.get(detail_url(h.target))
    assert response.status_code == 403
    assert h.same_words.number not in response.content.decode()


def test_it_says_so_when_nothing_closed_is_similar(client, p, time_machine):
    appeal = register(p, grounds="Sesuatu yang belum pernah terjadi.")
    client.force_login(p.lead)
    response = client.get(detail_url(appeal))
    assert response.context["similar"] == []
    assert "Belum ada banding serupa yang sudah ditutup." in response.content.decode()


def test_the_page_costs_the_same_queries_however_many_similar_appeals(
    client, p, h, django_assert_max_num_queries
):
    client.force_login(p.lead)
    client.get(detail_url(h.target))  # warm the per-process caches (calendar)
    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(h.target))
    for i in range(4):
        walk(p, register(p, grounds=f"{GROUNDS} Catatan {i}."), 13)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(detail_url(h.target))
    assert len(response.context["similar"]) == 5
