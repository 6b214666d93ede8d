"""Session limits (banding.accounts.sessions, OWASP ASVS L2 3.3): signed out after the idle
limit (30 minutes for staff, 60 for customers by default) and after the maximum age (12 hours)
whatever the activity, with an audit event and the reason on the login page; the notice on
pages with a form and its keep-alive."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from banding.audit.models import Event
from tests.factories import Personas

START = timezone.now().replace(microsecond=0)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def expired_events():
    return list(Event.objects.filter(action="account.session_expired").order_by("pk"))


def test_staff_are_signed_out_after_thirty_idle_minutes(p: Personas):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(p.staff)
        traveller.shift(timedelta(minutes=29))
        assert client.get("/banding/").status_code == 200
        # the clock restarts at each request: 29 more minutes are still within the limit
        traveller.shift(timedelta(minutes=29))
        assert client.get("/banding/").status_code == 200
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/banding/", follow=True)
    assert response.redirect_chain[0][0].startswith("/masuk/?next=/banding/")
    html = response.content.decode()
    assert "Sesi Anda berakhir karena tidak ada aktivitas selama 30 menit." in html
    [event] = expired_events()
    assert event.actor_id == p.staff.pk
    assert event.data["reason"] == "idle"
    assert event.summary == "Sesi staff berakhir: tidak aktif 30 menit"
    # signed out for good: the next request is anonymous, and no second event is written
    assert client.get("/banding/").status_code == 302
    assert len(expired_events()) == 1


def test_customers_have_sixty_idle_minutes(p: Personas):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(p.customer)
        traveller.shift(timedelta(minutes=59))
        assert client.get("/portal/").status_code == 200
        traveller.shift(timedelta(minutes=60, seconds=1))
        response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert [e.data["reason"] for e in expired_events()] == ["idle"]


def test_the_idle_limits_are_settings(p: Personas, settings):
    settings.BANDING_SESSION_IDLE_MINUTES_STAFF = 5
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(p.lead)
        traveller.shift(timedelta(minutes=5, seconds=1))
        assert client.get("/banding/").status_code == 302


def test_an_active_session_ends_after_twelve_hours(p: Personas):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(p.staff)
        for _ in range(24):  # busy all day: a request every 29 minutes
            traveller.shift(timedelta(minutes=29))
            response = client.get("/banding/")
            if response.status_code != 200:
                break
        # 24 × 29 minutes = 11 h 36 min: still signed in; the next crosses 12 hours
        assert response.status_code == 200
        traveller.shift(timedelta(minutes=29))
        response = client.get("/banding/", follow=True)
    assert "Sesi Anda berakhir karena sudah 12 jam sejak Anda masuk." in response.content.decode()
    [event] = expired_events()
    assert event.data["reason"] == "absolute"


def test_signing_in_again_starts_new_clocks(p: Personas):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(p.staff)
        traveller.shift(timedelta(hours=11, minutes=50))
        client.force_login(p.staff)
        traveller.shift(timedelta(minutes=20))
        assert client.get("/banding/").status_code == 200


@time_machine.travel(START, tick=False)
def test_forms_carry_the_session_notice(p: Personas):
    client = signed_in(p.customer)
    html = client.get("/portal/ajukan/").content.decode()
    assert 'id="sesi-peringatan"' in html
    assert 'data-idle-seconds="3600"' in html
    assert 'data-warn-seconds="300"' in html
    assert "Tetap masuk" in html
    assert "js/session.js" in html
    staff_html = signed_in(p.staff).get("/banding/baru/").content.decode()
    assert 'id="sesi-peringatan"' in staff_html
    assert 'data-idle-seconds="1800"' in staff_html


def test_no_notice_for_anonymous_pages(db):
    assert 'id="sesi-peringatan"' not in Client().get("/masuk/").content.decode()


def test_the_status_does_not_count_as_activity_and_the_keepalive_does(p: Personas):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(p.staff)
        traveller.shift(timedelta(minutes=26))
        status = client.get("/sesi/").json()
        assert status["idle_seconds"] == 4 * 60
        assert status["warn_seconds"] == 300
        traveller.shift(timedelta(minutes=2))
        # asking again did not extend the session
        assert client.get("/sesi/").json()["idle_seconds"] == 2 * 60
        kept = client.post("/sesi/perpanjang/").json()
        assert kept["idle_seconds"] == 30 * 60
        traveller.shift(timedelta(minutes=29))
        assert client.get("/banding/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        answer = client.get("/sesi/")
    assert answer.status_code == 401
    assert answer.json()["expired"] is True


def test_the_keepalive_needs_the_csrf_token(p: Personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(p.staff)
    assert client.post("/sesi/perpanjang/").status_code == 403


@pytest.mark.parametrize("path", ["/sesi/", "/sesi/perpanjang/"])
def test_anonymous_callers_hear_the_session_is_over(db, path):
    client = Client()
    response = client.post(path) if path.endswith("perpanjang/") else client.get(path)
    assert response.status_code == 401
    assert response.json()["detail"] == "Sesi Anda sudah berakhir. Silakan masuk lagi."


def test_an_htmx_request_after_expiry_sends_the_whole_page_to_the_login(p: Personas):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(p.staff)
        traveller.shift(timedelta(minutes=31))
        response = client.get(
            "/banding/",
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL="http://testserver/banding/baru/",
        )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/masuk/?next=/banding/baru/"
    assert [e.data["reason"] for e in expired_events()] == ["idle"]


def test_a_session_from_before_the_limits_gets_its_clocks_at_its_next_request(p: Personas):
    from banding.accounts import sessions

    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(p.customer)
        old = client.session
        for key in (sessions.LOGIN_AT, sessions.SEEN_AT, sessions.AS_CUSTOMER):
            del old[key]
        old.save()
        assert client.get("/portal/").status_code == 200
        assert client.session[sessions.AS_CUSTOMER] is True
        traveller.shift(timedelta(minutes=59))
        assert client.get("/portal/").status_code == 200
        traveller.shift(timedelta(minutes=61))
        assert client.get("/portal/").status_code == 302
