"""Need to know (ISO/IEC 17025 4.2): institute staff open an appeal only when they have a part
in it or a role that oversees every appeal; everyone else gets 403 saying why, on the page, its
documents and letters, and the register, its search and its export leave the appeal out."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals import access, selectors
from banding.appeals.models import Appeal
from banding.letters.models import LetterStatus
from tests.factories import Personas, register, walk
from tests.web.helpers import action_url, detail_url

# Who has a part in an appeal at step 7 (team_a's, panel[0..2] seated) or oversees all.
ALLOWED = ["staff", "lead", "head", "auditor", "admin", "tech", "chair", "member"]
# A technical user of another team, and a panel-eligible one without a seat.
REFUSED = ["tech_other", "outsider"]


def person(p: Personas, name: str):
    return {"chair": p.panel[0], "member": p.panel[1], "outsider": p.panel[3]}.get(name) or getattr(
        p, name
    )


@pytest.fixture
def appeal(p) -> Appeal:
    return walk(p, register(p), 7)


def surfaces(appeal: Appeal) -> list[str]:
    """The appeal page, a document's download and an issued letter's download."""
    document = appeal.documents.order_by("id").first()
    letter = appeal.letters.filter(status=LetterStatus.ISSUED).order_by("id").first()
    assert document is not None and letter is not None
    return [
        detail_url(appeal),
        reverse("appeals:document", args=[appeal.public_id, document.public_id]),
        reverse("letters:download", args=[appeal.public_id, letter.public_id]),
        reverse("letters:letter", args=[appeal.public_id, letter.public_id]),
        reverse("appeals:similar", args=[appeal.public_id]),
    ]


@pytest.mark.parametrize("who", REFUSED)
def test_staff_without_a_part_get_403_saying_why_everywhere(client, p, appeal, who):
    client.force_login(person(p, who))
    for url in surfaces(appeal):
        response = client.get(url)
        assert response.status_code == 403, url
        body = response.content.decode()
        assert "Anda tidak terlibat dalam banding ini" in body, url
        assert response.templates[0].name == "403.html"
        assert appeal.number not in body
    # An action is refused before anything about the step or its fields.
    response = client.post(action_url(appeal, "catatan"), {})
    assert response.status_code == 403
    assert access.NOT_INVOLVED in response.content.decode()


@pytest.mark.parametrize("who", ALLOWED)
def test_those_with_a_part_and_overseers_open_it(client, p, appeal, who):
    client.force_login(person(p, who))
    for url in surfaces(appeal)[:4]:  # the similar card has its own rule (test_similar)
        assert client.get(url).status_code == 200, url


def test_an_unknown_appeal_is_still_404(client, p):
    client.force_login(p.tech_other)
    assert client.get("/banding/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_customer_of_another_organisation_gets_404_not_403(client, p, appeal):
    client.force_login(p.customer_other)
    document = appeal.documents.order_by("id").first()
    url = reverse("appeals:document", args=[appeal.public_id, document.public_id])
    assert client.get(url).status_code == 404


def test_the_register_its_search_and_its_export_leave_the_appeal_out(client, p, appeal):
    client.force_login(p.tech_other)
    register_url = reverse("appeals:register")
    page = client.get(register_url)
    assert appeal.number not in page.content.decode()
    assert appeal not in page.context["page"].object_list
    searched = client.get(register_url, {"q": appeal.number})
    assert list(searched.context["page"].object_list) == []
    assert "Tidak ada banding" in searched.content.decode()
    export = client.get(reverse("appeals:register_export", args=["csv"]))
    assert export.status_code == 200
    assert appeal.number not in b"".join(export.streaming_content).decode()
    client.force_login(p.tech)
    searched = client.get(register_url, {"q": appeal.number})
    assert list(searched.context["page"].object_list) == [appeal]
    export = client.get(reverse("appeals:register_export", args=["csv"]))
    assert appeal.number in b"".join(export.streaming_content).decode()


def test_the_team_sees_its_appeals_from_step_3_and_a_panel_member_once_seated(p):
    fresh = register(p)  # no team yet: step 3 sends it to one
    assert not access.can_view(p.tech, fresh)
    at_5 = walk(p, register(p), 5)
    assert access.can_view(p.tech, at_5) and not access.can_view(p.tech_other, at_5)
    assert not access.can_view(p.panel[0], at_5)  # proposed is not seated
    at_7 = walk(p, at_5, 7)
    assert access.can_view(p.panel[0], at_7) and not access.can_view(p.panel[3], at_7)


def test_a_step_the_user_acted_on_keeps_the_appeal_open_to_them_after_a_team_change(p):
    appeal = walk(p, register(p), 6)  # step 5 completed by p.tech
    p.team_a.members.remove(p.tech)
    p.team_b.members.add(p.tech)
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert access.can_view(p.tech, appeal)
    assert appeal in selectors.visible_appeals(p.tech)


def test_the_rule_and_its_query_agree(p):
    """can_view (one appeal) and viewable (a query) are the same rule, for every persona."""
    appeals = [register(p), walk(p, register(p), 5), walk(p, register(p), 7)]
    users = [person(p, name) for name in ALLOWED + REFUSED] + [p.customer, p.customer_other]
    for user in users:
        listed = set(selectors.visible_appeals(user))
        for appeal in appeals:
            fresh = Appeal.objects.get(pk=appeal.pk)
            assert (fresh in listed) == access.can_view(user, fresh), (user, appeal.number)


def test_a_deactivated_technical_user_sees_nothing(p, appeal):
    p.tech.is_active = False
    p.tech.save()
    assert not selectors.visible_appeals(p.tech).exists()
    assert not access.can_view(p.tech, Appeal.objects.get(pk=appeal.pk))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_register_and_the_page_cost_a_technical_user_what_they_cost_staff(client, p):
    walk(p, register(p), 7)
    appeal = walk(p, register(p), 5)
    for _ in range(5):
        register(p)
    register_url = reverse("appeals:register")
    searched = register_url + "?q=KEL"
    client.force_login(p.staff)
    staff = (_queries(client, register_url), _queries(client, searched))
    client.force_login(p.tech)
    tech = (_queries(client, register_url), _queries(client, searched))
    page = _queries(client, detail_url(appeal))
    for _ in range(10):
        walk(p, register(p), 5)
    assert (_queries(client, register_url), _queries(client, searched)) == tech == staff
    assert _queries(client, detail_url(appeal)) == page
    # The 403 page for one without a part: the appeal read once, its part with it.
    client.force_login(p.tech_other)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(detail_url(appeal)).status_code == 403
    assert sum("appeals_appeal" in q["sql"] for q in captured.captured_queries) == 1
