"""The "Banding serupa sebelumnya" card: the appeal page shows its placeholder (loaded with
htmx from its own URL, a plain link without JavaScript) to those who may see it, and the
card's URL answers with the card (htmx) or a page holding it (the link)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import register, walk
from tests.similar_history import GROUNDS, build
from tests.web.helpers import detail_url

MAY_SEE = (
    "Banding serupa hanya dapat dilihat oleh Ketua Tim PJTK, Tim Panel Banding banding ini, "
    "Kepala Balai dan auditor."
)


def similar_url(appeal) -> str:
    return reverse("appeals:similar", args=[appeal.public_id])


def card(client, appeal, **headers):
    return client.get(similar_url(appeal), HTTP_HX_REQUEST="true", **headers)


@pytest.fixture
def h(p, time_machine):
    return build(p, time_machine)


def test_the_page_loads_the_card_after_itself_with_a_link_for_no_javascript(client, p, h):
    # The head reads the page without acting at step 3 (the verifier's form lists the
    # similar appeals to confirm, so for the lead the search runs with the page).
    client.force_login(p.head)
    response = client.get(detail_url(h.target))

    assert response.context["similar_url"] == similar_url(h.target)
    body = response.content.decode()
    assert f'hx-get="{similar_url(h.target)}" hx-trigger="load" hx-swap="outerHTML"' in body
    assert f'<a href="{similar_url(h.target)}">Lihat banding serupa sebelumnya</a>' in body
    # The search itself is not on the page.
    assert h.same_words.number not in body


def test_it_shows_the_lead_the_similar_closed_appeals_in_order(client, p, h):
    client.force_login(p.lead)
    response = card(client, h.target)

    assert response.status_code == 200
    listed = [s.appeal.number for s in response.context["similar"]]
    assert listed == [
        h.same_reference.number,
        h.same_words.number,
        h.same_customer.number,
        h.rejected.number,
    ]
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="banding-serupa"')  # the card alone
    assert "<html" not in body
    assert "Banding serupa sebelumnya" in body
    assert f'href="{detail_url(h.same_words)}"' in body
    assert "PT Farmasi Sejahtera" in body
    assert "ditutup 3 Maret 2026" in body  # same_words closed on 3 March
    assert "Ditolak tidak relevan" in body
    assert "Diterima sebagian" in body
    assert "Mirip karena: dokumen acuan sama, pelanggan sama, jenis layanan sama" in body
    assert h.still_open.number not in listed


def test_without_htmx_the_link_opens_a_page_with_the_card(client, p, h):
    client.force_login(p.lead)
    response = client.get(similar_url(h.target))

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert f'<a href="{detail_url(h.target)}">Kembali ke banding {h.target.number}</a>' in body
    assert h.same_words.number in body


@pytest.mark.parametrize("who", ["head", "auditor"])
def test_the_head_and_auditor_see_it_too(client, p, h, who):
    client.force_login(getattr(p, who))
    assert client.get(detail_url(h.target)).context["similar_url"] == similar_url(h.target)
    assert len(card(client, h.target).context["similar"]) == 4


def test_the_appeals_panel_sees_it_and_staff_and_another_technical_user_do_not(client, p, h):
    appeal = walk(p, h.target, 7)
    client.force_login(p.panel[1])
    assert client.get(detail_url(appeal)).context["similar_url"] == similar_url(appeal)
    assert len(card(client, appeal).context["similar"]) == 4
    for user in (p.staff, p.tech):  # the appeal's team, not its panel
        client.force_login(user)
        page = client.get(detail_url(appeal))
        assert page.context["similar_url"] == ""
        assert "Banding serupa sebelumnya" not in page.content.decode()
        refused = card(client, appeal)
        assert refused.status_code == 403
        body = refused.content.decode()
        assert MAY_SEE in body
        assert h.same_words.number not in body
        refused = client.get(similar_url(appeal))  # the link, without htmx: the 403 page
        assert refused.status_code == 403
        assert MAY_SEE in refused.content.decode()


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_never_reach_the_card(client, p, h, who):
    client.force_login(getattr(p, who))
    for response in (client.get(detail_url(h.target)), card(client, h.target)):
        assert response.status_code == 403
        assert h.same_words.number not in response.content.decode()


def test_it_asks_for_a_login_first(client, h):
    response = card(client, h.target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_says_so_when_nothing_closed_is_similar(client, p, time_machine):
    appeal = register(p, grounds="Sesuatu yang belum pernah terjadi.")
    client.force_login(p.lead)
    response = card(client, appeal)
    assert response.context["similar"] == []
    assert "Belum ada banding serupa yang sudah ditutup." in response.content.decode()


def test_the_card_costs_the_same_queries_however_many_similar_appeals(
    client, p, h, django_assert_num_queries
):
    client.force_login(p.lead)
    card(client, h.target)  # warm the per-process caches (calendar)
    with CaptureQueriesContext(connection) as few:
        card(client, h.target)
    # The session, the user, the roles, the appeal and the five of similar_to.
    assert len(few.captured_queries) == 9
    for i in range(4):
        walk(p, register(p, grounds=f"{GROUNDS} Catatan {i}."), 13)
    with django_assert_num_queries(9):
        response = card(client, h.target)
    assert len(response.context["similar"]) == 5
