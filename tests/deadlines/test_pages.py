"""Deadlines on the staff pages: Tugas saya sorted by due date, the register's due column and
its keterlambatan filter, the appeal page's due instant, semantics, expected completion and
working time; query counts that do not grow with the rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals import deadlines, services
from banding.sop import definition as sop
from tests.deadlines.conftest import wib
from tests.factories import register, verify_relevant, walk
from tests.web.helpers import detail_url


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def lead_appeals(p, clock) -> dict:
    """On Monday 9 March: `soon` reaches step 11 (15 menit) at 15:55, due Tuesday 07:40;
    `later` was registered at 10:00 (step 3, due Tuesday 10:00, at risk Tuesday 07:53)."""
    clock(wib(2026, 3, 9, 10, 0))
    later = register(p)
    clock(wib(2026, 3, 9, 15, 55))
    soon = walk(p, register(p), 11)
    closed = walk(p, register(p), 13)
    clock(wib(2026, 3, 10, 8, 0))
    fresh = register(p)  # step 3 due Wednesday 08:00
    return {"later": later, "soon": soon, "closed": closed, "fresh": fresh}


def test_tugas_saya_lists_the_nearest_due_date_first_with_its_state(client, p, clock):
    a = lead_appeals(p, clock)
    client.force_login(p.lead)
    response = client.get(reverse("appeals:inbox"))
    assert [x.number for x in response.context["page"].object_list] == [
        a["soon"].number,  # due Tuesday 07:40, although it started later
        a["later"].number,  # due Tuesday 10:00
        a["fresh"].number,  # due Wednesday 08:00
    ]
    body = response.content.decode()
    assert '<th scope="col">Jatuh tempo</th>' in body
    rows = body.split("<tbody>")[1].split("</tr>")
    assert "10 Maret 2026 07:40 WIB" in rows[0] and "Terlambat" in rows[0]
    assert "10 Maret 2026 10:00 WIB" in rows[1] and "Hampir jatuh tempo" in rows[1]
    assert "11 Maret 2026 08:00 WIB" in rows[2] and "Tepat waktu" in rows[2]
    assert deadlines.semantics() in body


def test_register_shows_due_dates_of_open_appeals_and_filters_by_keterlambatan(client, p, clock):
    a = lead_appeals(p, clock)
    client.force_login(p.auditor)

    def numbers(**params) -> set[str]:
        response = client.get(reverse("appeals:register"), params)
        assert response.status_code == 200
        return {x.number for x in response.context["page"].object_list}

    assert numbers(deadline="overdue") == {a["soon"].number}
    assert numbers(deadline="at_risk") == {a["later"].number}
    assert numbers(deadline="on_time") == {a["fresh"].number}
    assert len(numbers()) == 4  # the closed appeal is in no deadline state
    assert numbers(deadline="overdue", step="3") == set()
    body = client.get(reverse("appeals:register")).content.decode()
    closed_row = next(r for r in body.split("</tr>") if a["closed"].number in r)
    assert closed_row.rstrip().endswith("<td>—</td>")  # no due date once closed
    assert "Keterlambatan" in body
    response = client.get(reverse("appeals:register"), {"deadline": "kapan-kapan"})
    assert response.context["form"].errors["deadline"] == [
        "Masukkan pilihan yang valid. kapan-kapan bukan salah satu dari pilihan yang tersedia."
    ]
    assert len(response.context["page"].object_list) == 4


def test_the_appeal_page_shows_the_current_steps_deadline_and_how_it_is_counted(client, p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    appeal = register(p)  # received 09:00
    clock(wib(2026, 3, 25, 8, 0))
    client.force_login(p.staff)
    response = client.get(detail_url(appeal))
    timing = response.context["timing"]
    assert timing.due_at == wib(2026, 3, 25, 10, 0)
    assert timing.state == "at_risk"
    # Then 5 and 6 (1 hari each), 7 (30 hari kerja), 9 and 10, 11 and 12 (15 menit each).
    assert timing.expected_completion == wib(2026, 5, 18, 10, 30)
    assert timing.working_minutes == 450  # 17 March 09:00–16:00, 25 March 07:30–08:00
    body = response.content.decode()
    assert "25 Maret 2026 10:00 WIB" in body
    assert "Hampir jatuh tempo" in body
    assert "18 Mei 2026 10:30 WIB" in body
    assert "7 jam 30 menit" in body
    assert deadlines.semantics(sop.step(3).waktu) in body
    assert "“1 hari” berarti 1 hari kerja" in body
    rows = {row.step.number: row for row in response.context["progress"]}
    assert rows[3].due_at == wib(2026, 3, 25, 10, 0)
    assert rows[3].deadline_state == "at_risk"


def test_the_investigation_says_which_kind_of_days_its_maximum_counts(client, p, clock, settings):
    clock(wib(2026, 3, 2, 9, 0))
    appeal = walk(p, register(p), 7)
    client.force_login(p.auditor)
    body = client.get(detail_url(appeal)).content.decode()
    assert "“maks. 30 hari” berarti 30 hari kerja (bawaan, bukan hari kalender)" in body
    settings.BANDING_CALENDAR_DAYS_FOR_MAX = True
    body = client.get(detail_url(appeal)).content.decode()
    assert "“maks. 30 hari” dihitung sebagai 30 hari kalender" in body


def test_progress_shows_each_completed_steps_working_time_against_its_standard(client, p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    appeal = register(p)
    clock(wib(2026, 3, 25, 10, 1))  # one minute late
    verify_relevant(p, appeal)
    clock(wib(2026, 3, 25, 11, 0))
    client.force_login(p.auditor)
    response = client.get(detail_url(appeal))
    rows = {row.step.number: row for row in response.context["progress"]}
    [verified] = rows[3].occurrences
    assert (verified.working_time, verified.standard_label) == (
        "8 jam 31 menit",
        "melebihi mutu baku",
    )
    [recorded] = rows[2].occurrences
    assert recorded.standard_label == "melebihi mutu baku"  # an hour for a 15-minute step
    assert rows[5].due_at == wib(2026, 3, 26, 10, 1)
    assert rows[5].deadline_state == "on_time"
    body = response.content.decode()
    assert "Waktu kerja 8 jam 31 menit" in body
    assert "melebihi mutu baku" in body
    assert "Jatuh tempo 26 Maret 2026 10:01 WIB" in body


def test_a_closed_appeal_shows_its_total_working_time(client, p, clock):
    clock(wib(2026, 3, 9, 9, 0))
    appeal = walk(p, register(p), 13)  # received 08:00, closed 09:00
    client.force_login(p.auditor)
    response = client.get(detail_url(appeal))
    assert response.context["timing"].state is None
    assert response.context["timing"].expected_completion is None
    assert "waktu kerja total 1 jam sejak diterima" in response.content.decode()


def test_lists_make_the_same_queries_with_deadline_filters_for_5_and_50_appeals(client, p, clock):
    clock(wib(2026, 3, 9, 10, 0))
    urls = [
        reverse("appeals:inbox"),
        reverse("appeals:register") + "?deadline=on_time",
        reverse("appeals:register") + "?deadline=overdue&status=open",
    ]
    for _ in range(5):
        register(p)
    client.force_login(p.lead)
    few = [queries(client, url) for url in urls]
    for _ in range(45):
        register(p)
    assert [queries(client, url) for url in urls] == few


def test_the_appeal_page_does_not_query_per_step(client, p, clock):
    clock(wib(2026, 3, 9, 9, 0))
    short = walk(p, register(p), 9)
    long = walk(p, register(p), 10)
    services.decision_return(appeal=long, user=p.head, reasons="Belum jelas.")
    long.refresh_from_db()
    long = walk(p, long, 10)
    services.decision_return(appeal=long, user=p.head, reasons="Masih belum jelas.")
    long.refresh_from_db()
    assert long.steps.count() > short.steps.count()
    client.force_login(p.auditor)
    assert queries(client, detail_url(long)) == queries(client, detail_url(short))
