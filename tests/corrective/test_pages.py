"""The corrective action pages: the list (filters, who sees what), the appeal's card and its
add form, one action with the owner's and the lead's forms; allowed and refused; query counts
that do not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banding.corrective import services
from banding.corrective.models import CorrectiveAction, Status
from banding.corrective.rules import NOT_LEAD
from tests.corrective.conftest import add, at_step_10

LIST = "/tindakan-perbaikan/"


def card_url(appeal) -> str:
    return f"/tindakan-perbaikan/banding/{appeal.public_id}/"


def count(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_list_shows_every_action_to_the_lead_and_filters_them(client, p, decided):
    first = add(p, decided)
    second = add(p, decided, owner=str(p.staff.public_id))
    services.corrective_complete(action=second, user=p.staff, note="Selesai.")
    client.force_login(p.lead)
    page = client.get(LIST).context["page"]
    assert {a.pk for a in page} == {first.pk, second.pk}
    done = client.get(LIST, {"status": Status.DONE}).context["page"]
    assert [a.pk for a in done] == [second.pk]
    mine = client.get(LIST, {"owner": str(p.tech.public_id)}).context["page"]
    assert [a.pk for a in mine] == [first.pk]


def test_the_overdue_filter_lists_open_actions_past_due(client, p, decided, time_machine):
    late = add(p, decided)
    add(p, decided, due=services.Due(days=20))
    time_machine.move_to(late.due_at)
    client.force_login(p.head)
    page = client.get(LIST, {"status": "terlambat"}).context["page"]
    assert [a.pk for a in page] == [late.pk]
    assert "Terlambat" in client.get(LIST).content.decode()


def test_other_staff_see_only_their_own(client, p, decided):
    own = add(p, decided)
    add(p, decided, owner=str(p.staff.public_id))
    client.force_login(p.tech)
    assert [a.pk for a in client.get(LIST).context["page"]] == [own.pk]


def test_a_customer_may_not_open_the_list(client, p):
    client.force_login(p.customer)
    assert client.get(LIST).status_code == 403


def test_the_list_costs_the_same_queries_however_many_actions(client, p, decided):
    add(p, decided)
    client.force_login(p.lead)
    count(client, LIST)  # warm the per-process caches
    few = count(client, LIST)
    for _ in range(8):
        add(p, decided)
    assert count(client, LIST) == few
    # The session, the user, the roles, the count, the page, the owner filter's people, the
    # navbar's unread notices.
    assert few == 7


def test_the_card_lists_the_appeals_actions_and_offers_the_form_to_the_lead(client, p, decided):
    add(p, decided)
    client.force_login(p.lead)
    response = client.get(card_url(decided), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["add_form"] is not None
    assert "Kalibrasi ulang neraca" in response.content.decode()


def test_the_card_offers_no_form_to_the_head(client, p, decided):
    client.force_login(p.head)
    response = client.get(card_url(decided))
    assert response.status_code == 200
    assert response.context["add_form"] is None


def test_the_card_is_refused_to_staff_without_a_part(client, p, decided):
    client.force_login(p.tech_other)
    assert client.get(card_url(decided)).status_code == 403


def test_the_card_costs_the_same_queries_however_many_actions(client, p, decided):
    client.force_login(p.head)
    count(client, card_url(decided))
    few = count(client, card_url(decided))
    for _ in range(5):
        add(p, decided)
    assert count(client, card_url(decided)) == few
    # Session, user, roles, the appeal, whether the user chairs its panel, the actions (one
    # query, joined), the navbar's unread notices.
    assert few == 7


def test_the_appeal_page_loads_the_card_once_the_panel_has_met(client, p, decided):
    client.force_login(p.lead)
    body = client.get(f"/banding/{decided.public_id}/").content.decode()
    assert card_url(decided) in body


def test_the_chair_adds_an_action_from_the_card(client, p, decided):
    client.force_login(p.panel[0])
    response = client.post(
        f"{card_url(decided)}tambah/",
        {"description": "Perbaiki prosedur.", "owner": str(p.tech.public_id), "due_days": "3"},
    )
    assert response.status_code == 302
    assert CorrectiveAction.objects.get().created_by == p.panel[0]


def test_an_unknown_owner_is_shown_on_the_form(client, p, decided):
    client.force_login(p.lead)
    response = client.post(
        f"{card_url(decided)}tambah/",
        {
            "description": "Perbaiki.",
            "owner": "00000000-0000-0000-0000-000000000000",
            "due_days": "3",
        },
    )
    assert response.status_code == 400
    assert "Penanggung jawab tidak ditemukan" in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_the_head_may_not_add(client, p, decided):
    client.force_login(p.head)
    response = client.post(
        f"{card_url(decided)}tambah/",
        {"description": "Perbaiki.", "owner": str(p.tech.public_id), "due_days": "3"},
    )
    assert response.status_code == 403
    assert not CorrectiveAction.objects.exists()


def test_the_owner_completes_and_the_lead_checks_on_the_action_page(client, p, decided):
    action = add(p, decided)
    url = f"/tindakan-perbaikan/{action.public_id}/"
    client.force_login(p.tech)
    assert client.get(url).context["complete_form"] is not None
    assert client.post(url + "selesai/", {"note": "Dikerjakan."}).status_code == 302
    client.force_login(p.lead)
    assert client.get(url).context["check_form"] is not None
    response = client.post(url + "verifikasi/", {"effective": "1", "note": "Efektif."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.EFFECTIVE


def test_the_head_may_not_check(client, p, decided):
    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Dikerjakan.")
    client.force_login(p.head)
    url = f"/tindakan-perbaikan/{action.public_id}/"
    assert client.get(url).context["check_form"] is None
    response = client.post(url + "verifikasi/", {"effective": "1", "note": "Efektif."})
    assert response.status_code == 403
    assert NOT_LEAD in response.content.decode()


def test_the_action_page_is_not_found_for_staff_without_a_part(client, p, decided):
    action = add(p, decided)
    client.force_login(p.tech_other)
    assert client.get(f"/tindakan-perbaikan/{action.public_id}/").status_code == 404


def test_the_action_page_costs_a_fixed_number_of_queries(client, p, decided):
    action = add(p, decided)
    client.force_login(p.tech)
    url = f"/tindakan-perbaikan/{action.public_id}/"
    count(client, url)
    # Session, user, roles, the action with its appeal and people, the navbar's unread notices.
    assert count(client, url) == 5


def test_tugas_saya_lists_the_owners_open_actions(client, p, decided):
    add(p, decided)
    client.force_login(p.tech)
    assert "/tindakan-perbaikan/saya/" in client.get("/").content.decode()
    response = client.get("/tindakan-perbaikan/saya/")
    assert "Tindakan perbaikan saya" in response.content.decode()
    count(client, "/tindakan-perbaikan/saya/")
    few = count(client, "/tindakan-perbaikan/saya/")
    add(p, decided)
    add(p, decided)
    assert count(client, "/tindakan-perbaikan/saya/") == few == 4


@pytest.mark.parametrize("who", ["lead", "tech"])
def test_the_menu_names_the_list(client, p, who):
    client.force_login(getattr(p, who))
    assert 'href="/tindakan-perbaikan/"' in client.get("/").content.decode()


def test_a_dismissed_appeals_card_offers_no_form(client, p):
    from banding.appeals.models import Decision

    appeal = at_step_10(p, Decision.DISMISSED)
    client.force_login(p.lead)
    assert client.get(card_url(appeal)).context["add_form"] is None
