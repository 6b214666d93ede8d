"""The dashboard (/laporan/): every figure against a hand-computed history, the filters, who
may open it, and a query count that does not grow with the appeals."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals import services
from banding.appeals.models import Channel, Decision, ServiceType
from banding.reports import dashboard as figures
from banding.workdays.periods import Period
from tests.factories import (
    decide,
    not_relevant,
    register,
    rejection_letter,
    verify_relevant,
    walk,
)
from tests.state import persona

WIB = ZoneInfo("Asia/Jakarta")
URL = "/laporan/"
REFUSAL = "Dasbor laporan dibuka oleh Kepala Balai, Ketua Tim PJTK, auditor dan administrator."


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def clock(time_machine):
    def move(instant: datetime) -> datetime:
        time_machine.move_to(instant, tick=False)
        return instant

    return move


def verify(p, appeal, *, relevant: bool = True):
    """Step 3, with its nota dinas when relevant, at the clock's instant."""
    if relevant:
        return verify_relevant(p, appeal)
    return not_relevant(p, appeal, "Bukan banding atas hasil keluhan.")


def finish(p, appeal, decision: str):
    """From step 5 to the end at the clock's instant, the panel deciding `decision`."""
    appeal = walk(p, appeal, 9)
    decide(p, appeal, decision=decision, meeting_at=appeal.current_since)
    appeal.refresh_from_db()
    return walk(p, appeal, 13)


def reject(p, appeal):
    rejection_letter(p, appeal)
    return services.appeal_reject(
        appeal=appeal,
        user=p.staff,
        delivered_at=appeal.current_since,
        channel=Channel.EMAIL,
    )


@pytest.fixture
def history(p, clock):
    """Working minutes per appeal (office hours Mon–Thu 07:30–16:00, Fri 07:30–16:30):
    A pengujian, diterima sebagian: step 2 15 + step 3 120            = 135
    B kalibrasi, diterima:          step 3 180                          = 180
    C pengujian, ditolak:           step 3 240                          = 240
    D pengujian, tidak relevan (June): 2: 30 + 3: 60 + 4: 510 (on time) = 600
    E pengujian, diterima, step 3 late: Mon 09:00 → Wed 09:00           = 1020
    F pengujian open at step 3, overdue since Tue 7 July 10:00
    G sertifikasi open at step 5, at risk at Fri 10 July 14:45
    H kalibrasi open at step 3, on time
    I pengujian, received and rejected in December 2025 (outside 2026)."""
    clock(wib(2025, 12, 1, 9, 0))
    reject(p, verify(p, register(p, received_at=wib(2025, 12, 1, 8, 0)), relevant=False))

    clock(wib(2026, 6, 29, 8, 0))
    d = register(p, received_at=wib(2026, 6, 29, 7, 30))
    clock(wib(2026, 6, 29, 9, 0))
    d = verify(p, d, relevant=False)
    clock(wib(2026, 6, 30, 9, 0))
    reject(p, d)

    clock(wib(2026, 7, 6, 8, 0))
    a = register(p, received_at=wib(2026, 7, 6, 7, 45))
    b = register(p, received_at=wib(2026, 7, 6, 8, 0), service_type=ServiceType.CALIBRATION)
    c = register(p, received_at=wib(2026, 7, 6, 8, 0))
    clock(wib(2026, 7, 6, 9, 0))
    e = register(p, received_at=wib(2026, 7, 6, 9, 0))
    clock(wib(2026, 7, 6, 10, 0))
    finish(p, verify(p, a), Decision.PARTLY)
    register(p, received_at=wib(2026, 7, 6, 10, 0))  # F
    clock(wib(2026, 7, 6, 11, 0))
    finish(p, verify(p, b), Decision.ACCEPTED)
    clock(wib(2026, 7, 6, 12, 0))
    finish(p, verify(p, c), Decision.DISMISSED)
    clock(wib(2026, 7, 8, 9, 0))
    finish(p, verify(p, e), Decision.ACCEPTED)

    clock(wib(2026, 7, 10, 8, 0))
    g = register(p, received_at=wib(2026, 7, 10, 8, 0), service_type=ServiceType.CERTIFICATION)
    verify(p, g)
    clock(wib(2026, 7, 10, 14, 30))
    register(p, received_at=wib(2026, 7, 10, 14, 30), service_type=ServiceType.CALIBRATION)
    return clock(wib(2026, 7, 10, 15, 0))


def loads(board) -> dict[int, tuple[int, int, int]]:
    return {s.number: (s.open, s.at_risk, s.overdue) for s in board.steps if s.open}


def test_it_counts_open_appeals_per_step_with_their_deadline_state(p, history):
    board = figures.dashboard(period=Period.year(2026))
    assert loads(board) == {3: (2, 0, 1), 5: (1, 1, 0)}
    assert [s.number for s in board.steps] == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert board.open_total == 3


def test_it_counts_intake_per_wib_month_of_the_period(p, history):
    board = figures.dashboard(period=Period.year(2026))
    assert [m.label for m in board.months][:2] == ["Januari 2026", "Februari 2026"]
    assert len(board.months) == 12
    assert {m.label: m.count for m in board.months if m.count} == {
        "Juni 2026": 1,
        "Juli 2026": 7,
    }
    assert board.intake_total == 8


def test_it_counts_outcomes_of_appeals_ended_in_the_period(p, history):
    board = figures.dashboard(period=Period.year(2026))
    assert [(o.label, o.count) for o in board.outcomes] == [
        ("Ditolak tidak relevan", 1),
        ("Diterima", 2),
        ("Diterima sebagian", 1),
        ("Ditolak", 1),
        ("Dicabut", 0),
        ("Ditutup (duplikat)", 0),
    ]
    assert board.closed_total == 5


def test_it_computes_the_median_total_working_time_per_path_against_the_standard(p, history):
    board = figures.dashboard(period=Period.year(2026))
    panel, rejected = board.times
    # Panel path: 135, 180, 240, 1020 → (180 + 240) / 2. Its standard: steps 1, 2, 11 and 12
    # of 15 minutes, and 35 days (3, 5, 6, 9, 10 one day each; 7 thirty) of 510 minutes.
    assert (panel.closed, panel.median, panel.standard, panel.within) == (4, 210, 17910, True)
    # Rejection path: one appeal of 600 minutes; standard 15 + 15 + 510 + 510.
    assert (rejected.closed, rejected.median, rejected.standard) == (1, 600, 1050)
    assert board.day_minutes == 510


def test_it_breaks_the_figures_down_per_service_type(p, history):
    board = figures.dashboard(period=Period.year(2026))
    rows = {r.code: (r.intake, r.open, r.closed, r.median) for r in board.services}
    assert rows[ServiceType.TESTING] == (5, 1, 4, 420)  # 135, 240, 600, 1020
    assert rows[ServiceType.CALIBRATION] == (2, 1, 1, 180)
    assert rows[ServiceType.CERTIFICATION] == (1, 1, 0, None)
    assert rows[ServiceType.INSPECTION] == (0, 0, 0, None)
    assert len(rows) == len(ServiceType)


def test_it_filters_by_service_type(p, history):
    board = figures.dashboard(period=Period.year(2026), service_type=ServiceType.CALIBRATION)
    assert loads(board) == {3: (1, 0, 0)}
    assert board.intake_total == 2
    assert [o.count for o in board.outcomes] == [0, 1, 0, 0, 0, 0]
    assert board.times[0].median == 180 and board.times[1].median is None
    assert [r.code for r in board.services] == [ServiceType.CALIBRATION]


def test_it_filters_by_period(p, history):
    first = figures.dashboard(period=Period.semester(2026, 1))
    assert first.intake_total == 1 and len(first.months) == 6
    assert [o.count for o in first.outcomes] == [1, 0, 0, 0, 0, 0]
    assert first.times[1].median == 600
    assert loads(first) == {3: (2, 0, 1), 5: (1, 1, 0)}  # open appeals are "now"
    earlier = figures.dashboard(period=Period.between(date(2025, 12, 1), date(2025, 12, 31)))
    assert earlier.intake_total == 1 and earlier.closed_total == 1


def test_the_median_of_an_odd_count_is_the_middle_value(p, history):
    # Without E (1020) the panel path holds 135, 180, 240 in the first days of July.
    board = figures.dashboard(period=Period.between(date(2026, 7, 6), date(2026, 7, 7)))
    assert (board.times[0].closed, board.times[0].median) == (3, 180)


def test_the_page_shows_the_figures_in_tables_and_the_chart_data(client, p, history):
    client.force_login(p.head)
    response = client.get(URL, {"jenis": "tahun", "tahun": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tahun 2026 · Semua layanan" in body
    assert 'id="data-dasbor"' in body and "vendor/chartjs/chart.umd.min.js" in body
    assert "3 jam 30 menit" in body  # the panel path's median, 210 minutes
    assert "298 jam 30 menit" in body  # its standard, 17910 minutes
    assert "Sesuai mutu baku" in body
    charts = response.context["charts"]
    assert charts["outcomes"]["counts"] == [1, 2, 1, 1, 0, 0]
    assert charts["steps"]["overdue"][1] == 1
    # The series' names come with the figures (marked for translation), not from the script.
    assert charts["series"]["overdue"] == "Terlambat"
    assert '"Terlambat"' not in (settings.BASE_DIR / "banding/static/js/dashboard.js").read_text()
    assert f'href="{URL}"' in body  # the navbar link


def test_the_page_defaults_to_this_year(client, p, clock):
    clock(wib(2026, 7, 10, 9, 0))
    client.force_login(p.lead)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["board"].period == Period.year(2026)


def test_a_wrong_period_is_answered_400_with_the_error(client, p):
    client.force_login(p.auditor)
    response = client.get(URL, {"jenis": "semester", "tahun": 2026})
    assert response.status_code == 400
    assert "Pilih semester." in response.content.decode()


def test_an_unknown_service_type_is_ignored_and_reported(client, p):
    client.force_login(p.auditor)
    response = client.get(URL, {"layanan": "sulap"})
    assert response.status_code == 200
    assert response.context["board"].service_type == ""
    assert "sulap bukan salah satu dari pilihan yang tersedia." in response.content.decode()


@pytest.mark.parametrize("who", ["head", "lead", "auditor", "admin"])
def test_readers_open_the_dashboard(client, p, who):
    client.force_login(persona(p, who))
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("who", ["staff", "tech", "panel_1"])
def test_other_staff_are_refused_with_the_reason(client, p, who):
    client.force_login(persona(p, who))
    response = client.get(URL)
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert f'href="{URL}"' not in client.get(reverse("appeals:inbox")).content.decode()


def test_customers_are_refused_and_anonymous_users_sent_to_log_in(client, p):
    client.force_login(p.customer)
    assert client.get(URL).status_code == 403
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _appeals(p, count: int) -> None:
    kinds = list(ServiceType)
    for i in range(count):
        appeal = register(p, service_type=kinds[i % 3])
        if i % 3 == 1:
            verify(p, appeal)
        elif i % 3 == 2:
            reject(p, verify(p, appeal, relevant=False))


def test_the_query_count_does_not_grow_with_the_appeals(client, p, clock):
    clock(wib(2026, 7, 10, 9, 0))
    client.force_login(p.head)
    _appeals(p, 10)
    client.get(URL)  # the session, the roles and the calendar are read once
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _appeals(p, 190)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.context["board"].intake_total == 200
    assert len(few) == len(many)
    with CaptureQueriesContext(connection) as board:
        figures.dashboard(period=Period.year(2026))
    assert len(board) == 6


def test_the_head_landing_here_is_told_what_waits_in_tugas_saya(client, p):
    # The head lands on the dashboard (accounts.landing): their turns and the letters drafted
    # for their signature are counted at the top, with the way to Tugas saya.
    client.force_login(p.head)
    assert 'id="menunggu-anda"' not in client.get(URL).content.decode()

    walk(p, register(p), 6)  # step 6: the head appoints the panel

    page = client.get(URL).content.decode()
    assert 'id="menunggu-anda"' in page
    assert "<strong>1</strong> langkah" in page
    assert reverse("appeals:inbox") in page
