"""The management review input (ISO/IEC 17025 8.9): every figure against a hand-computed
history of two consecutive semesters, built through the real services on a frozen clock.

Office hours Mon–Thu 07:30–16:00, Fri 07:30–16:30 WIB; no holiday falls on the days used
(25–26 December 2025 and 1 January 2026 are skipped by choice of dates).

Semester II 2025 (the period before):
  P1  Tue 4 Nov 2025  received 09:00, recorded 09:10 (10), not relevant 10:10 (60), rejected
      11:10 (60): rejected, total 130, all 4 steps on time. Survey: all 4.
  P2  Wed 5 Nov 2025  received 08:00, recorded 08:10 (10), relevant 09:10 (60), steps 5, 6,
      7, 9 (accepted, remedy), 10 approved each 60/60/120/60/60, 11 at 15:20 (10), 12 at
      15:50 (30, late): closed, total 470, 9 of 10 steps on time.
  P3  Wed 31 Dec 2025 received 15:00, recorded 15:30 (30, late); open at the year's end.
Semester I 2026 (the period):
  P3  Fri 2 Jan 2026 relevant 08:30 (30 + 60 = 90), 5, 6, 7 at 09:30/10:30/11:30 (60 each),
      9 dismissed 12:30 (60), 10 returned 13:30 (60), 9 partly 14:00 (30), 10 approved 14:30
      (30), 11 14:40 (10), 12 15:00 (20, late): closed, total 510, 9 of 10 on time. Survey 4.
  C1  Tue 3 Feb 2026  received 09:00, recorded 09:05 (5), not relevant 10:05 (60), rejected
      Wed 4 Feb 11:05 (355 + 215 = 570, late): rejected, total 635, 3 of 4. Survey: all 3.
  C2  Thu 5 Feb 2026  received 08:00, recorded 08:12 (12), then 3, 5, 6, 7, 9 (accepted,
      remedy), 10 hourly (6 × 60), 11 14:22 (10), 12 14:32 (10): closed, total 392, 10 of 10.
  C3  Tue 10 Feb 2026 received 09:00, recorded 09:20 (20, late), relevant 10:20: open, 2 of 3.
  C4  Mon 9 Feb 2026  received 09:00, recorded 09:10, not relevant 10:10: open at step 4, 3/3.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from banding.appeals import services
from banding.appeals.models import Appeal, Channel, Decision
from banding.reports.review import Figure, Kind, Trend, review
from banding.sop import definition as sop
from banding.survey.elements import CODES
from banding.survey.services import survey_answer
from banding.workdays.periods import Period
from tests import factories
from tests.factories import Personas, pdf, register, rejection_letter

WIB = ZoneInfo("Asia/Jakarta")
PERIOD = Period.semester(2026, 1)
URL = "/laporan/tinjauan/"
REFUSAL = (
    "Masukan tinjauan manajemen dibuka oleh Kepala Balai, Ketua Tim PJTK, auditor dan "
    "administrator."
)
QUERY = {"jenis": "semester", "tahun": "2026", "semester": "1"}


def wib(month_day: tuple[int, int, int], hour: int, minute: int = 0) -> datetime:
    return datetime(*month_day, hour, minute, tzinfo=WIB)


@pytest.fixture
def clock(time_machine):
    def move(instant: datetime) -> datetime:
        time_machine.move_to(instant, tick=False)
        return instant

    return move


def intake(p: Personas, clock, day, received: tuple[int, int], recorded: tuple[int, int], **kw):
    clock(wib(day, *recorded))
    return register(
        p,
        received_at=wib(day, *received),
        complaint_outcome_date=date(*day) - timedelta(days=10),
        **kw,
    )


def verify(p: Personas, appeal: Appeal, *, relevant: bool) -> Appeal:
    """Step 3, with its nota dinas when relevant, at the clock's instant."""
    if relevant:
        return factories.verify_relevant(p, appeal)
    return factories.not_relevant(p, appeal, "Bukan atas hasil penanganan keluhan.")


def reject(p: Personas, appeal: Appeal) -> Appeal:
    rejection_letter(p, appeal)
    return services.appeal_reject(
        appeal=appeal,
        user=p.staff,
        delivered_at=timezone.now(),
        channel=Channel.EMAIL,
    )


def decide(p: Personas, appeal: Appeal, decision: str, remedy: str) -> Appeal:
    """Step 9 with its attendance list and minutes, at the clock's instant."""
    return factories.decide(p, appeal, decision=decision, remedy=remedy)


def panel_steps(p: Personas, clock, appeal: Appeal, day, times: list[tuple[int, int]]) -> Appeal:
    """Steps 5, 6 and 7 at the given times."""
    chair = p.panel[0]
    clock(wib(day, *times[0]))
    factories.propose(p, appeal)
    clock(wib(day, *times[1]))
    factories.appoint(p, appeal)
    clock(wib(day, *times[2]))
    services.panel_declare(appeal=appeal, user=chair)
    return services.investigation_report(appeal=appeal, user=chair, report=pdf("laporan.pdf"))


def finish(p: Personas, clock, appeal: Appeal, day, times: list[tuple[int, int]]) -> Appeal:
    """Steps 10 (approved), 11 and 12 at the given times."""
    clock(wib(day, *times[0]))
    factories.approve(p, appeal)
    clock(wib(day, *times[1]))
    services.decision_disposition(appeal=appeal, user=p.lead, note="Sampaikan.")
    clock(wib(day, *times[2]))
    return factories.close(p, appeal, cabinet="L-01", box="B-01", folder="M-01")


def answer(p: Personas, appeal: Appeal, score: int) -> None:
    survey_answer(appeal=appeal, user=p.customer, scores=dict.fromkeys(CODES, score))


def history(p: Personas, clock) -> dict[str, Appeal]:
    a: dict[str, Appeal] = {}
    # --- Semester II 2025 ---
    nov4 = (2025, 11, 4)
    a["P1"] = intake(p, clock, nov4, (9, 0), (9, 10))
    clock(wib(nov4, 10, 10))
    verify(p, a["P1"], relevant=False)
    clock(wib(nov4, 11, 10))
    reject(p, a["P1"])
    clock(wib(nov4, 11, 30))
    answer(p, a["P1"], 4)

    nov5 = (2025, 11, 5)
    a["P2"] = intake(p, clock, nov5, (8, 0), (8, 10))
    clock(wib(nov5, 9, 10))
    verify(p, a["P2"], relevant=True)
    panel_steps(p, clock, a["P2"], nov5, [(10, 10), (11, 10), (13, 10)])
    clock(wib(nov5, 14, 10))
    decide(p, a["P2"], Decision.ACCEPTED, "Penerbitan ulang sertifikat.")
    finish(p, clock, a["P2"], nov5, [(15, 10), (15, 20), (15, 50)])

    a["P3"] = intake(p, clock, (2025, 12, 31), (15, 0), (15, 30))
    # --- Semester I 2026 ---
    jan2 = (2026, 1, 2)
    clock(wib(jan2, 8, 30))
    verify(p, a["P3"], relevant=True)
    panel_steps(p, clock, a["P3"], jan2, [(9, 30), (10, 30), (11, 30)])
    clock(wib(jan2, 12, 30))
    decide(p, a["P3"], Decision.DISMISSED, "")
    clock(wib(jan2, 13, 30))
    services.decision_return(appeal=a["P3"], user=p.head, reasons="Lengkapi pertimbangan.")
    clock(wib(jan2, 14, 0))
    decide(p, a["P3"], Decision.PARTLY, "Pengujian ulang tanpa biaya.")
    finish(p, clock, a["P3"], jan2, [(14, 30), (14, 40), (15, 0)])
    clock(wib(jan2, 15, 30))
    answer(p, a["P3"], 4)

    feb3 = (2026, 2, 3)
    a["C1"] = intake(p, clock, feb3, (9, 0), (9, 5))
    clock(wib(feb3, 10, 5))
    verify(p, a["C1"], relevant=False)
    clock(wib((2026, 2, 4), 11, 5))
    reject(p, a["C1"])
    clock(wib((2026, 2, 4), 12, 0))
    answer(p, a["C1"], 3)

    feb5 = (2026, 2, 5)
    a["C2"] = intake(p, clock, feb5, (8, 0), (8, 12), service_type="kalibrasi")
    clock(wib(feb5, 9, 12))
    verify(p, a["C2"], relevant=True)
    panel_steps(p, clock, a["C2"], feb5, [(10, 12), (11, 12), (12, 12)])
    clock(wib(feb5, 13, 12))
    decide(p, a["C2"], Decision.ACCEPTED, "Kalibrasi ulang alat ukur.")
    finish(p, clock, a["C2"], feb5, [(14, 12), (14, 22), (14, 32)])

    a["C4"] = intake(p, clock, (2026, 2, 9), (9, 0), (9, 10))
    clock(wib((2026, 2, 9), 10, 10))
    verify(p, a["C4"], relevant=False)

    a["C3"] = intake(p, clock, (2026, 2, 10), (9, 0), (9, 20))
    clock(wib((2026, 2, 10), 10, 20))
    verify(p, a["C3"], relevant=True)
    return a


def figures(items: list[Figure]) -> list[tuple[str, object, object]]:
    return [(f.label, f.current, f.previous) for f in items]


@pytest.fixture
def built(p, clock):
    appeals = history(p, clock)
    clock(wib((2026, 7, 6), 9, 0))  # after the period: both periods are over
    return appeals


def test_it_counts_received_verified_and_still_open_appeals(built):
    r = review(PERIOD)
    assert r.previous == Period.semester(2025, 2)
    assert figures(r.received) == [
        ("Banding diterima", 4, 3),
        ("Diverifikasi relevan", 3, 1),
        ("Diverifikasi tidak relevan", 2, 1),
        ("Banding masih berjalan pada akhir periode", 2, 1),
    ]


def test_it_counts_outcomes_as_approved_not_as_first_decided(built):
    # P3's first decision (dismissed) was returned at step 10: only the approved one counts.
    r = review(PERIOD)
    assert figures(r.outcomes) == [
        ("Ditolak karena tidak relevan (langkah 4)", 1, 1),
        ("Keputusan disetujui: Diterima", 1, 1),
        ("Keputusan disetujui: Diterima sebagian", 1, 0),
        ("Keputusan disetujui: Ditolak", 0, 0),
        ("Dicabut oleh pelanggan", 0, 0),
        ("Ditutup sebagai duplikat banding lain", 0, 0),
        ("Tindakan perbaikan/pemulihan diputuskan", 2, 1),
    ]


def test_it_lists_the_corrective_actions_decided_in_the_period(built):
    r = review(PERIOD)
    # The latest first (the review lists the latest 50; the rest: review_lists).
    assert [(c.number, c.decision, c.remedy) for c in r.corrective_actions] == [
        (built["C2"].number, "Diterima", "Kalibrasi ulang alat ukur."),
        (built["P3"].number, "Diterima sebagian", "Pengujian ulang tanpa biaya."),
    ]
    assert r.corrective_actions[1].approved_at == wib((2026, 1, 2), 14, 30)
    assert r.corrective_total == 2 and r.corrective_more == 0
    previous = review(r.previous)
    assert [c.remedy for c in previous.corrective_actions] == ["Penerbitan ulang sertifikat."]


def test_it_measures_time_performance_with_medians_in_sql(built):
    r = review(PERIOD)
    assert figures(r.performance) == [
        # 27 of 30 steps on time against 14 of 16.
        ("Langkah selesai sesuai mutu baku waktu", Decimal("90.0"), Decimal("87.5")),
        # Closed: median of 392 and 510 (even: the mean) against 470 alone.
        ("Median total waktu kerja banding selesai dengan keputusan", 451, 470),
        ("Median total waktu kerja banding ditolak (tidak relevan)", 635, 130),
    ]
    share, closed, rejected = r.performance
    assert (share.difference_text, share.trend) == ("+2,5 poin", Trend.UP)
    assert (closed.current_text, closed.difference_text) == ("7 jam 31 menit", "−19 menit")
    assert closed.trend == Trend.DOWN
    assert (rejected.difference_text, rejected.trend) == ("+8 jam 25 menit", Trend.UP)


def test_it_takes_the_middle_row_of_an_odd_count_and_rounds_half_up(built):
    # Both semesters at once: closed 392, 470, 510 → 470; rejected 130 and 635 → 382.5 → 383.
    r = review(Period.between(date(2025, 7, 1), date(2026, 6, 30)))
    assert [f.current for f in r.performance[1:]] == [470, 383]


def test_it_gives_the_within_standard_share_of_each_step(built):
    r = review(PERIOD)
    by_number = {s.current.number: s for s in r.steps}
    assert [s.current.number for s in r.steps] == list(sop.STEP_NUMBERS)
    # Step 2 (15 minutes): C1, C2, C4 on time and C3 late, against P1, P2 on time and P3 late.
    step2 = by_number[2]
    assert (step2.current.count, step2.current.within) == (4, 3)
    assert (step2.previous.count, step2.previous.within) == (3, 2)
    assert (step2.share.current, step2.share.previous) == (Decimal("75.0"), Decimal("66.7"))
    # Step 4: C1 late against P1 on time.
    assert (by_number[4].share.current, by_number[4].share.previous) == (0, 100)
    assert by_number[4].share.trend == Trend.DOWN
    # Step 9: P3 twice and C2 now, P2 before, all on time; step 12: P3 late, C2 on time.
    assert (by_number[9].current.count, by_number[9].share.trend) == (3, Trend.SAME)
    assert (by_number[12].share.current, by_number[12].share.previous) == (50, 0)


def test_it_reports_the_survey_index_of_both_periods(built):
    r = review(PERIOD)
    assert figures(r.survey) == [
        ("Indeks Kepuasan Masyarakat (IKM)", Decimal("87.50"), Decimal("100.00")),
        ("Responden survei", 2, 1),
    ]
    ikm = r.survey[0]
    assert (ikm.current_text, ikm.difference_text, ikm.trend) == ("87,50", "−12,50", "turun")
    assert r.survey_current.quality.grade == "B" and r.survey_previous.quality.grade == "A"


def test_it_counts_appeals_open_now_while_the_period_runs(p, clock, built):
    clock(wib((2026, 3, 2), 9, 0))
    r = review(PERIOD)
    assert r.received[-1].label.endswith("(periode ini: saat ini)")
    assert (r.received[-1].current, r.received[-1].previous) == (2, 1)


@pytest.mark.parametrize(
    "current, previous, kind, trend, text",
    [
        (3, 1, Kind.COUNT, Trend.UP, "+2"),
        (1, 3, Kind.COUNT, Trend.DOWN, "−2"),
        (2, 2, Kind.COUNT, Trend.SAME, "0"),
        (None, 2, Kind.COUNT, Trend.NONE, "—"),
        (90, 120, Kind.MINUTES, Trend.DOWN, "−30 menit"),
    ],
)
def test_it_states_the_trend_and_the_difference(current, previous, kind, trend, text):
    figure = Figure("x", current, previous, kind)
    assert (figure.trend, figure.difference_text) == (trend, text)


@pytest.mark.parametrize(
    "period, label",
    [
        (Period.year(2026), "Tahun 2025"),
        (Period.quarter(2026, 1), "Triwulan IV 2025"),
        (Period.month(2026, 3), "Februari 2026"),
        (Period.between(date(2026, 3, 11), date(2026, 3, 20)), "1 Maret 2026 – 10 Maret 2026"),
    ],
)
def test_it_names_the_period_before(db, period, label):
    assert review(period).previous.label == label


def test_it_runs_on_an_empty_database(db):
    r = review(PERIOD)
    assert [f.current for f in r.received] == [0, 0, 0, 0]
    assert r.performance[0].current is None and r.performance[0].current_text == "—"
    assert r.survey[0].trend == Trend.NONE


# --- the page and the PDF -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head", "lead", "auditor", "admin"])
def test_it_shows_the_review_to_its_readers(client, p, clock, who):
    clock(wib((2026, 3, 2), 9, 0))
    client.force_login(getattr(p, who))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Masukan Tinjauan Manajemen — Banding Pelanggan" in body
    # The current semester by default, beside the one before.
    assert "Semester I 2026" in body and "Semester II 2025" in body
    assert 'href="/laporan/tinjauan/"' in body  # the navbar link


@pytest.mark.parametrize("who", ["staff", "tech"])
def test_it_refuses_other_staff(client, p, who):
    client.force_login(getattr(p, who))
    response = client.get(URL)
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert 'href="/laporan/tinjauan/"' not in client.get("/").content.decode()


def test_it_refuses_customers_and_sends_strangers_to_login(client, p):
    client.force_login(p.customer)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "tinjauan.pdf").status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_it_refuses_the_pdf_to_other_staff(client, p):
    client.force_login(p.staff)
    assert client.get(URL + "tinjauan.pdf", QUERY).status_code == 403


def test_it_answers_a_bad_period_with_its_errors(client, p):
    client.force_login(p.head)
    response = client.get(URL, {"jenis": "semester", "tahun": "2026"})
    assert response.status_code == 400
    assert "Pilih semester." in response.content.decode()


def test_it_shows_the_figures_and_links_the_appeals(client, p, built):
    client.force_login(p.auditor)
    body = client.get(URL, QUERY).content.decode()
    assert "Pengujian ulang tanpa biaya." in body
    assert reverse("appeals:detail", args=[built["C2"].public_id]) in body
    assert "87,50" in body and "90,0%" in body and "+2,5 poin" in body


def test_it_prints_the_review_as_pdf(client, p, built):
    client.force_login(p.head)
    response = client.get(URL + "tinjauan.pdf", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "tinjauan-manajemen-banding-20260101-20260630.pdf" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Masukan Tinjauan Manajemen — Banding Pelanggan" in flat
    assert "5.1.24/BBSPJIKFK/2025" in flat
    assert "Semester I 2026" in flat and "Semester II 2025" in flat
    assert "6 Juli 2026" in flat  # generated at
    assert "Kalibrasi ulang alat ukur." in flat and built["P3"].number in flat


def _extra_history(p: Personas, clock, n: int) -> None:
    """n more appeals over the period: received, some rejected, some open."""
    for i in range(n):
        day = (2026, 4, 7 + (i % 3))  # Tue–Thu 7–9 April 2026
        appeal = intake(p, clock, day, (8, 0), (8, 10 + i % 30))
        if i % 2:
            clock(wib(day, 11, 0))
            verify(p, appeal, relevant=False)
            clock(wib(day, 12, 0))
            reject(p, appeal)


def _queries(client, path: str) -> int:
    # The first read freezes the finished months (banding.reports.rollups); counted is the
    # page as every later reader gets it.
    assert client.get(path, QUERY).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, QUERY).status_code == 200
    return len(captured)


def test_its_query_count_does_not_grow_with_the_appeals(client, p, clock):
    _extra_history(p, clock, 10)
    clock(wib((2026, 7, 6), 9, 0))
    client.force_login(p.head)
    small = _queries(client, URL), _queries(client, URL + "tinjauan.pdf")
    _extra_history(p, clock, 190)
    clock(wib((2026, 7, 6), 9, 0))
    assert (_queries(client, URL), _queries(client, URL + "tinjauan.pdf")) == small
    # The report itself: the corrective actions decided, their follow-up (counts by status,
    # list), 2 × survey, 2 × the months' rollups (the frozen marks, the stored ended appeals,
    # steps, appeals received and open at the end, and outcomes: the period before is frozen,
    # and so is this one, past).
    with CaptureQueriesContext(connection) as captured:
        review(PERIOD)
    assert len(captured) == 15
    assert review(PERIOD).received[0].current == 200
