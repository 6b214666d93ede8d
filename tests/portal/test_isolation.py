"""Another organisation's customer gets 404 on every portal URL and API object of p.customer's
appeal, never a hint that it exists; the owner gets each of them (so the 404 is the
isolation's doing, not a broken URL)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from banding.notifications.models import Notification
from tests.factories import pdf, register, walk
from tests.portal.helpers import record, submit


@pytest.fixture
def case(p):
    """p.customer's appeal, closed, with its documents, a letter addressed to it and a notice."""
    appeal = walk(p, record(p, submit(p, attachments=[pdf("lampiran.pdf")])), 99)
    letter = appeal.letters.get(kind="keputusan")
    return appeal, [d for d in appeal.documents.all() if d.customer_visible], letter


def page_urls(appeal, documents, letter) -> list[str]:
    a = appeal.public_id
    return [
        reverse("portal:appeal", args=[a]),
        reverse("portal:receipt", args=[a]),
        reverse("portal:receipt", args=[a]) + "?format=pdf",
        *(reverse("appeals:document", args=[a, d.public_id]) for d in documents),
        reverse("letters:download", args=[a, letter.public_id]),
    ]


def api_urls(appeal, documents, letter) -> list[str]:
    a = appeal.public_id
    return [
        f"/appeals/{a}",
        f"/appeals/{a}/timeline",
        f"/appeals/{a}/documents",
        *(f"/appeals/{a}/documents/{d.public_id}/file" for d in documents),
        f"/appeals/{a}/letters",
        f"/appeals/{a}/letters/{letter.public_id}/file",
    ]


def test_every_portal_url_of_the_appeal_is_404_to_another_organisation(client, p, case):
    urls = page_urls(*case)
    owner = Client()
    owner.force_login(p.customer)
    client.force_login(p.customer_other)

    for url in urls:
        assert owner.get(url).status_code == 200, url
        response = client.get(url)
        assert response.status_code == 404, url
        assert case[0].number not in response.content.decode()


def test_every_api_object_of_the_appeal_is_404_to_another_organisation(api, p, case):
    urls = api_urls(*case)
    owner, other = api(p.customer), api(p.customer_other)

    for url in urls:
        assert owner.get(url).status_code == 200, url
        response = other.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


def test_another_organisation_cannot_act_on_the_appeal_through_the_api(api, p):
    appeal = submit(p)
    other = api(p.customer_other)

    assert other.post(f"/appeals/{appeal.public_id}/record", {}).status_code == 404
    doc = other.upload(
        f"/appeals/{appeal.public_id}/documents", {"kind": "supporting", "file": pdf()}
    )
    assert doc.status_code == 404
    assert appeal.documents.count() == 1


def test_the_list_and_the_api_register_hold_only_ones_own_appeals(client, api, p):
    mine = submit(p)
    theirs = register(p, organization=p.org_other)
    client.force_login(p.customer_other)

    listed = [r.appeal for r in client.get(reverse("portal:home")).context["rows"]]
    api_listed = [item["id"] for item in api(p.customer_other).get("/appeals").json()["items"]]

    assert listed == [theirs]
    assert api_listed == [str(theirs.public_id)]
    assert str(mine.public_id) not in api_listed


def test_another_customers_notice_cannot_be_read_or_marked(client, p):
    submit(p)
    notice = Notification.objects.get(recipient=p.customer)
    client.force_login(p.customer_other)

    listed = client.get(reverse("portal:notifications")).context["page"].object_list
    marked = client.post(reverse("portal:notification_read", args=[notice.public_id]))

    assert list(listed) == []
    assert marked.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
