"""The auditor's audit log: the page and its filters, the CSV and JSON files (their rows are the
database's events of the period), the API list, who may open them, and the log-in events."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from django.db import transaction
from django.test import Client

from banding.audit.actions import Action
from banding.audit.log import record
from banding.audit.models import Event
from banding.formats import WIB
from tests.factories import PASSWORD, Personas, register

MAY = "jenis=bulan&tahun=2026&bulan=5"
MAY_FIRST = datetime(2026, 5, 4, 9, 0, tzinfo=WIB)


def _event(action: Action, actor=None, appeal=None, summary: str = "uji") -> Event:
    with transaction.atomic():
        return record(action=action, summary=summary, actor=actor, appeal=appeal)


@pytest.fixture
def history(p: Personas, time_machine):
    """Events in April, May and June 2026 WIB; May's are those the tests ask for."""
    time_machine.move_to(datetime(2026, 4, 30, 23, 59, tzinfo=WIB), tick=False)
    _event(Action.API_TOKEN_CREATED, p.staff)  # April
    time_machine.move_to(MAY_FIRST, tick=False)
    appeal = register(p)  # appeal.registered (and its documents)
    _event(Action.API_TOKEN_CREATED, p.staff)
    _event(Action.CALENDAR_OVERRIDE_ADDED, p.admin)
    time_machine.move_to(datetime(2026, 5, 31, 23, 59, tzinfo=WIB), tick=False)
    _event(Action.REGISTER_EXPORTED, p.lead, summary="=cmd|' /C calc'!A0")
    time_machine.move_to(datetime(2026, 6, 1, 0, 0, tzinfo=WIB), tick=False)
    _event(Action.API_TOKEN_REVOKED, p.staff)  # June
    time_machine.move_to(datetime(2026, 6, 2, 8, 0, tzinfo=WIB), tick=False)
    return appeal


def _may() -> list[Event]:
    start, end = datetime(2026, 5, 1, tzinfo=WIB), datetime(2026, 6, 1, tzinfo=WIB)
    return list(Event.objects.filter(created_at__gte=start, created_at__lt=end).order_by("id"))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page_ids(client: Client, query: str) -> list[int]:
    response = client.get(f"/log-audit/?{query}&limit=100")
    assert response.status_code == 200
    return [int(e["id"]) for e in response.context["page"].object_list]


def test_the_page_lists_the_periods_events_including_those_of_no_appeal(p, history):
    client = _client(p.auditor)
    may = _may()
    assert {e.appeal_id is None for e in may} == {True, False}
    response = client.get(f"/log-audit/?{MAY}")
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"].object_list] == [e.pk for e in may][:25]
    assert response.context["page"].paginator.count == len(may)
    html = response.content.decode()
    assert "calendar.override_added" in html and history.number in html


def test_filters_by_appeal_actor_action_and_no_appeal(p, history):
    client = _client(p.auditor)
    may = _may()

    def ids(query: str) -> list[int]:
        response = client.get(f"/log-audit/?{MAY}&{query}")
        assert response.status_code == 200
        return [e.pk for e in response.context["page"].object_list]

    assert ids(f"banding={history.number}") == [e.pk for e in may if e.appeal_id == history.pk]
    assert ids("banding=-") == [e.pk for e in may if e.appeal_id is None]
    assert ids("pelaku=ADMIN") == [e.pk for e in may if e.actor_id == p.admin.pk]
    assert ids("tindakan=api_token.created") == [
        e.pk for e in may if e.action == "api_token.created"
    ]
    assert ids("tindakan=api_token") == [e.pk for e in may if e.action.startswith("api_token.")]
    assert ids("tindakan=step") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("banding=BDG/1999/9999", "Tidak ada banding bernomor BDG/1999/9999."),
        ("pelaku=siapa", "Tidak ada pengguna siapa."),
        ("tindakan=appeal.deleted", "Tidak ada tindakan appeal.deleted di log audit."),
        ("jenis=rentang&dari=2026-05-10&sampai=2026-05-01", "Tanggal akhir tidak boleh"),
    ],
)
def test_a_wrong_filter_is_shown_and_lists_nothing(p, history, query, message):
    response = _client(p.auditor).get(f"/log-audit/?{MAY}&{query}")
    assert response.status_code == 200
    assert response.context["page"] is None
    assert message in response.content.decode()
    export = _client(p.auditor).get(f"/log-audit/unduh.csv?{MAY}&{query}")
    assert export.status_code == 400
    assert not Event.objects.filter(action=Action.AUDIT_LOG_EXPORTED).exists()


def test_the_csv_rows_are_the_periods_events(p, history):
    may = _may()
    response = _client(p.auditor).get(f"/log-audit/unduh.csv?{MAY}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["ID", "Waktu (WIB)", "Waktu (UTC)"]
    assert [int(r[0]) for r in rows] == [e.pk for e in may]
    by_id = {e.pk: e for e in may}
    for line in rows:
        event = by_id[int(line[0])]
        assert line[10] == event.hash and line[11] == event.prev_hash
        assert json.loads(line[9]) == event.data
        assert line[1] == event.created_at.astimezone(WIB).isoformat()
    # A formula-looking summary is written as text.
    assert any(r[7] == "'=cmd|' /C calc'!A0" for r in rows)
    # The export is an event of no appeal, written after the period (June) here.
    exported = Event.objects.get(action=Action.AUDIT_LOG_EXPORTED)
    assert exported.appeal_id is None and exported.actor_id == p.auditor.pk
    assert exported.data["format"] == "csv"


def test_the_json_rows_are_the_periods_events(p, history):
    may = _may()
    response = _client(p.admin).get(f"/log-audit/unduh.json?{MAY}&banding=-")
    assert response.status_code == 200
    body = json.loads(b"".join(response.streaming_content))
    expected = [e for e in may if e.appeal_id is None]
    assert [r["id"] for r in body["events"]] == [e.pk for e in expected]
    assert body["events"][0]["hash"] == expected[0].hash
    assert body["events"][0]["actor"] == expected[0].actor.username
    assert body["filters"]["no_appeal"] is True


def test_an_export_of_today_lists_itself(p):
    response = _client(p.auditor).get("/log-audit/unduh.json")  # the current month
    body = json.loads(b"".join(response.streaming_content))
    assert [r["action"] for r in body["events"]][-1] == Action.AUDIT_LOG_EXPORTED
    assert len(body["events"]) == Event.objects.count()


@pytest.mark.parametrize("persona", ["staff", "lead", "head", "tech"])
def test_other_staff_are_refused_with_a_message(p, persona):
    client = _client(getattr(p, persona))
    for url in ("/log-audit/", "/log-audit/unduh.csv", "/log-audit/unduh.json"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Log audit hanya dapat dibuka oleh auditor dan administrator." in (
            response.content.decode()
        )
    assert 'href="/log-audit/"' not in client.get("/sop/").content.decode()
    assert not Event.objects.filter(action=Action.AUDIT_LOG_EXPORTED).exists()


def test_customers_and_visitors_are_refused(p):
    customer = _client(p.customer)
    for url in ("/log-audit/", "/log-audit/unduh.csv"):
        response = customer.get(url)
        assert response.status_code == 403
        assert "Halaman ini khusus pegawai Balai." in response.content.decode()
    api = customer.get("/api/v1/audit-events")
    assert api.status_code == 403
    assert api.json()["code"] == "audit_log"
    assert Client().get("/log-audit/").status_code == 302  # to the login page
    assert not Event.objects.filter(action=Action.AUDIT_LOG_EXPORTED).exists()


def test_the_auditor_finds_the_log_in_the_navigation(p):
    assert 'href="/log-audit/"' in _client(p.auditor).get("/sop/").content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_the_page_costs_the_same_whatever_the_number_of_events(p, django_assert_num_queries, count):
    with transaction.atomic():
        for _ in range(count):
            record(action=Action.API_TOKEN_CREATED, summary="uji", actor=p.staff)
    client = _client(p.auditor)
    # session, user, roles; the actor filter's user; count; unread notices (navbar); page
    with django_assert_num_queries(7):
        assert client.get("/log-audit/?pelaku=staff&page=2").status_code == 200


def test_the_api_lists_the_same_events_to_auditors_only(p, history):
    may = _may()
    response = _client(p.auditor).get(f"/api/v1/audit-events?{MAY}&limit=100")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(may)
    assert [i["id"] for i in body["items"]] == [e.pk for e in may]
    # The key that sealed each: what a verifier needs to pick the key (issue 20's keyed chain).
    assert [i["key_id"] for i in body["items"]] == [e.key_id for e in may]
    assert all(i["key_id"] for i in body["items"])
    wrong = _client(p.auditor).get("/api/v1/audit-events?pelaku=siapa")
    assert wrong.status_code == 400
    assert wrong.json()["fields"]["pelaku"] == ["Tidak ada pengguna siapa."]
    refused = _client(p.head).get("/api/v1/audit-events")
    assert refused.status_code == 403
    assert refused.json()["message"] == (
        "Log audit hanya dapat dibuka oleh auditor dan administrator."
    )


def test_logins_and_failed_logins_are_events_without_the_password(p):
    client = Client()
    response = client.post(
        "/masuk/", {"username": "staff", "password": "salah-sekali"}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 200
    failed = Event.objects.get(action=Action.ACCOUNT_LOGIN_FAILED)
    assert failed.appeal_id is None and failed.actor_id is None
    assert failed.data == {"username": "staff", "ip": "10.0.0.7"}
    response = client.post("/masuk/", {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    ok = Event.objects.get(action=Action.ACCOUNT_LOGGED_IN)
    assert ok.actor_id == p.staff.pk and ok.appeal_id is None
    for event in (failed, ok):
        text = json.dumps(event.data) + event.summary
        assert "salah-sekali" not in text and PASSWORD not in text


def test_htmx_gets_the_results_only_and_an_unknown_format_is_not_found(p, history):
    client = _client(p.auditor)
    partial = client.get(f"/log-audit/?{MAY}", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="hasil">') and "<nav" not in partial
    assert client.get(f"/log-audit/unduh.xlsx?{MAY}").status_code == 404
    assert not Event.objects.filter(action=Action.AUDIT_LOG_EXPORTED).exists()
