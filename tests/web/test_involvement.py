"""Issue 17, items 1-2 in the pages and the API: step 2 refused without its answer, the
team exemption, the panel forms listing the involved apart, the panel rules refused."""

from __future__ import annotations

import pytest

from tests.factories import register, walk
from tests.portal.helpers import submit
from tests.state import capture
from tests.web.helpers import action_url, detail_url
from tests.web.test_detail import PAGE_QUERIES, queries

TEAM = "anggota Tim Kalibrasi, tim teknis yang hasil kerjanya dibanding,"


# --- step 2 on the page ------------------------------------------------------------------------


def test_the_record_form_asks_the_answer_and_refuses_without_it(client, p):
    appeal = submit(p)
    client.force_login(p.staff)
    assert 'data-filter-for="catat-involved_persons"' in client.get(detail_url(appeal)).text
    before = capture()

    response = client.post(action_url(appeal, "catat"), {})

    assert response.status_code == 400
    assert "Langkah 2 wajib menjawab siapa yang terlibat" in response.text
    assert capture() == before


def test_ticking_nobody_involved_needs_a_reason(client, p):
    appeal = submit(p)
    client.force_login(p.staff)
    before = capture()

    response = client.post(action_url(appeal, "catat"), {"no_involved": "on"})

    assert response.status_code == 400
    assert "Tuliskan alasan tidak ada pihak yang terlibat." in response.content.decode()
    assert capture() == before


def test_nobody_involved_with_a_reason_records_the_appeal(client, p):
    appeal = submit(p)
    client.force_login(p.staff)

    response = client.post(
        action_url(appeal, "catat"),
        {"no_involved": "on", "no_involved_reason": "Hanya data instrumen."},
    )

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.current_step, appeal.no_involved_reason) == (3, "Hanya data instrumen.")
    assert "Tidak ada pihak terlibat: " in client.get(detail_url(appeal)).text


# --- the appealed team and its exemption ------------------------------------------------------


def test_the_lead_exempts_the_team_from_the_page(client, p):
    appeal = walk(p, register(p, appealed_team=p.team_b), 5)
    client.force_login(p.lead)
    page = client.get(detail_url(appeal)).text
    assert action_url(appeal, "tim-tidak-terlibat") in page
    assert "Anggotanya dianggap terlibat" in page

    response = client.post(action_url(appeal, "tim-tidak-terlibat"), {"reason": "Analis lain."})

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.team_exempt_reason == "Analis lain."
    assert action_url(appeal, "tim-tidak-terlibat") not in client.get(detail_url(appeal)).text


def test_the_exemption_is_not_offered_to_the_staff_and_refused(client, p):
    appeal = walk(p, register(p, appealed_team=p.team_b), 5)
    client.force_login(p.staff)
    assert action_url(appeal, "tim-tidak-terlibat") not in client.get(detail_url(appeal)).text
    before = capture()

    response = client.post(action_url(appeal, "tim-tidak-terlibat"), {"reason": "Alasan."})

    assert response.status_code == 403
    assert capture() == before


# --- the panel forms -----------------------------------------------------------------------------


def test_the_proposal_form_offers_the_eligible_and_explains_the_others(client, p):
    p.team_b.members.add(p.panel[3])
    appeal = walk(p, register(p, appealed_team=p.team_b, involved_persons=[p.panel[1]]), 5)
    client.force_login(p.tech)

    page = client.get(detail_url(appeal)).content.decode()

    assert f'value="{p.panel[0].pk}"' in page
    assert 'id="usul-panel-members_1"' in page  # the eligible listed
    assert f'name="members" value="{p.panel[1].pk}"' not in page
    assert f"{p.panel[1].display_name}: terlibat dalam kegiatan atau keluhan semula" in page
    assert f"{p.panel[3].display_name}: {TEAM}" in page
    assert "Paling sedikit 3 orang, jumlahnya ganjil" in page


@pytest.mark.parametrize(
    ("members", "chair", "message"),
    [
        ([0, 1], 0, "Tim Panel Banding paling sedikit 3 orang (dipilih 2)."),
        ([0, 1, 2, 3], 0, "harus ganjil"),
        ([0, 1, 2], 3, "Ketua panel harus salah satu anggota."),
        ([0, 1, 2], None, "Ketua panel wajib diisi."),
    ],
)
def test_the_proposal_form_refuses_a_wrong_panel_and_writes_nothing(
    client, p, members, chair, message
):
    appeal = walk(p, register(p), 5)
    client.force_login(p.tech)
    before = capture()

    response = client.post(
        action_url(appeal, "usul-panel"),
        {
            "members": [p.panel[i].pk for i in members],
            "chair": "" if chair is None else p.panel[chair].pk,
        },
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert capture() == before


def test_the_proposal_form_refuses_an_involved_member_saying_why(client, p):
    appeal = walk(p, register(p, involved_persons=[p.panel[1]]), 5)
    client.force_login(p.tech)
    before = capture()

    response = client.post(
        action_url(appeal, "usul-panel"),
        {"members": [m.pk for m in p.panel[:3]], "chair": p.panel[0].pk},
    )

    assert response.status_code == 400
    assert "Panel 2 terlibat dalam kegiatan atau keluhan semula sehingga" in response.text
    assert capture() == before


def test_a_valid_panel_is_proposed_from_the_page(client, p):
    appeal = walk(p, register(p), 5)
    client.force_login(p.tech)

    response = client.post(
        action_url(appeal, "usul-panel"),
        {"members": [m.pk for m in p.panel[:3]], "chair": p.panel[0].pk},
    )

    assert response.status_code == 302
    assert appeal.steps.get(completed_at__isnull=True).recorded_outcome == "proposed"


def test_the_proposal_page_costs_the_same_however_many_are_involved(client, p):
    few = walk(p, register(p, appealed_team=p.team_b), 5)
    p.team_b.members.add(p.panel[3])
    many = walk(p, register(p, appealed_team=p.team_b, involved_persons=p.panel[1:3]), 5)
    client.force_login(p.tech)
    queries(client, detail_url(few))  # warm the per-process caches (calendar)

    # The page's budget and one query: the appealed team's members.
    assert len(queries(client, detail_url(few))) == PAGE_QUERIES + 1
    assert len(queries(client, detail_url(many))) == PAGE_QUERIES + 1
