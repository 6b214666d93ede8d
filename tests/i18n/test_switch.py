"""The portal's language switch: stored on a customer's account (audited), a cookie before
logging in; an unknown code refused with nothing written."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from banding.audit.actions import Action
from banding.audit.models import Event

SWITCH = "/portal/bahasa/"


def test_the_switch_is_at_its_address():
    assert reverse("portal:language") == SWITCH


def test_a_visitor_chooses_english_by_cookie(client, db):
    response = client.post(SWITCH, {"language": "en", "next": "/portal/akun/daftar/"})

    assert response.status_code == 302
    assert response["Location"] == "/portal/akun/daftar/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/portal/akun/daftar/")
    assert page["Content-Language"] == "en"
    assert "Register a customer account" in page.content.decode()


def test_a_customer_stores_the_choice_on_the_account_with_its_event(
    client, p, django_assert_num_queries
):
    client.force_login(p.customer)

    # session, user and roles; in a savepoint: the user locked and saved, the audit chain's
    # head claimed, the event, the head moved
    with django_assert_num_queries(10):
        response = client.post(SWITCH, {"language": "en", "next": "/portal/"})

    assert response.status_code == 302
    p.customer.refresh_from_db()
    assert p.customer.language == "en"
    event = Event.objects.get(action=Action.ACCOUNT_LANGUAGE_CHANGED)
    assert event.actor == p.customer
    assert event.data == {"from": "", "to": "en"}
    assert event.summary == "Bahasa portal diganti menjadi English"


def test_choosing_the_language_already_chosen_writes_nothing(client, p):
    p.customer.language = "en"
    p.customer.save(update_fields=["language"])
    client.force_login(p.customer)

    client.post(SWITCH, {"language": "en"})

    assert not Event.objects.filter(action=Action.ACCOUNT_LANGUAGE_CHANGED).exists()


@pytest.mark.parametrize("code", ["fr", "EN-gb", "", "id; DROP", "x" * 200])
def test_an_unknown_language_is_refused_and_nothing_is_written(client, p, code):
    client.force_login(p.customer)
    events = Event.objects.count()

    response = client.post(SWITCH, {"language": code})

    assert response.status_code == 400
    assert "Bahasa tidak dikenal; pilihan: id (Bahasa Indonesia) atau en (English)." in (
        response.content.decode()
    )
    p.customer.refresh_from_db()
    assert p.customer.language == ""
    assert Event.objects.count() == events
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_an_unknown_language_is_refused_to_a_visitor_too(client, db):
    response = client.post(SWITCH, {"language": "de"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Unknown language; choose id (Bahasa Indonesia) or en (English)." in (
        response.content.decode()
    )
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_staff_keep_indonesian_on_their_account(client, p):
    client.force_login(p.staff)

    response = client.post(SWITCH, {"language": "en"})

    assert response.status_code == 302
    p.staff.refresh_from_db()
    assert p.staff.language == ""
    assert not Event.objects.filter(action=Action.ACCOUNT_LANGUAGE_CHANGED).exists()
    # and the workspace stays Indonesian whatever the cookie says
    assert client.get(reverse("appeals:inbox"))["Content-Language"] == "id"


@pytest.mark.parametrize(
    "target", ["https://elsewhere.example/", "//elsewhere.example/", "/banding/"]
)
def test_the_switch_returns_only_to_a_portal_page(client, db, target):
    response = client.post(SWITCH, {"language": "en", "next": target})

    assert response["Location"] == "/portal/"


def test_the_switch_takes_only_a_post(client, db):
    assert client.get(SWITCH, {"language": "en"}).status_code == 405


def test_the_switch_needs_the_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(SWITCH, {"language": "en"})

    assert response.status_code == 403
