"""Need to know through the API: an appeal's detail, timeline, documents, letters and files
answer 403 `not_involved` to staff without a part in it; the register, its search and its
export leave it out; those with a part and the overseeing roles get it."""

from __future__ import annotations

import pytest

from banding.appeals import access
from banding.appeals.models import Appeal
from banding.letters.models import LetterStatus
from tests.factories import Personas, register, walk
from tests.similar_history import build


def person(p: Personas, name: str):
    return {"chair": p.panel[0], "outsider": p.panel[3]}.get(name) or getattr(p, name)


@pytest.fixture
def appeal(p) -> Appeal:
    return walk(p, register(p), 7)


def paths(appeal: Appeal) -> list[str]:
    base = f"/appeals/{appeal.public_id}"
    document = appeal.documents.order_by("id").first()
    letter = appeal.letters.filter(status=LetterStatus.ISSUED).order_by("id").first()
    assert document is not None and letter is not None
    return [
        base,
        f"{base}/timeline",
        f"{base}/documents",
        f"{base}/documents/{document.public_id}/file",
        f"{base}/letters",
        f"{base}/letters/{letter.public_id}/file",
    ]


@pytest.mark.parametrize("who", ["tech_other", "outsider"])
def test_staff_without_a_part_get_403_not_involved(api, p, appeal, who):
    caller = api(person(p, who))
    for path in paths(appeal):
        response = caller.get(path)
        assert response.status_code == 403, path
        assert response.json() == {
            "code": "not_involved",
            "message": access.NOT_INVOLVED,
            "fields": {},
        }


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "admin", "tech", "chair"])
def test_those_with_a_part_and_overseers_get_it(api, p, appeal, who):
    caller = api(person(p, who))
    for path in paths(appeal):
        assert caller.get(path).status_code == 200, path


def test_the_list_its_search_and_its_export_leave_the_appeal_out(api, p, appeal):
    other = register(p)  # no team yet: only the institute's actors and overseers see it
    numbers = {a: a.number for a in (appeal, other)}
    for who, expected in (
        ("tech_other", set()),
        ("tech", {numbers[appeal]}),
        ("auditor", set(numbers.values())),
    ):
        caller = api(person(p, who))
        listed = {row["number"] for row in caller.get("/appeals").json()["items"]}
        assert listed == expected, who
        searched = caller.get("/appeals", {"q": appeal.number}).json()["items"]
        assert [row["number"] for row in searched] == (
            [appeal.number] if appeal.number in expected else []
        ), who
        export = caller.get("/appeals/export")
        assert export.status_code == 200
        text = b"".join(export.streaming_content).decode()
        assert {n for n in numbers.values() if n in text} == expected, who


def test_a_panel_member_sees_similar_appeals_it_may_not_open_without_a_link(
    api, client, p, time_machine
):
    h = build(p, time_machine)
    appeal = walk(p, h.target, 7)
    member = p.panel[1]
    rows = api(member).get(f"/appeals/{appeal.public_id}/similar").json()
    for row in rows:
        other = Appeal.objects.get(public_id=row["id"])
        assert row["may_open"] == access.can_view(member, other), row["number"]
    # The history's rejected appeal never had a panel: closed to the member, but still shown.
    assert {row["may_open"] for row in rows} == {True, False}
    lead_rows = api(p.lead).get(f"/appeals/{appeal.public_id}/similar").json()
    assert all(row["may_open"] for row in lead_rows)
    client.force_login(member)
    card = client.get(f"/banding/{appeal.public_id}/serupa/")
    body = card.content.decode()
    assert card.status_code == 200
    for row in rows:
        assert row["number"] in body
        assert (f"/banding/{row['id']}/" in body) == row["may_open"], row["number"]
    assert "berkas tidak dapat Anda buka" in body
