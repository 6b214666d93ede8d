"""The portal and the API show a customer the same of its appeal: both ask
banding.letters.visibility, so the letters, documents, events and outcome agree at every
point of the appeal's life."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from banding.accounts.services import api_token_create
from banding.letters import visibility
from tests.factories import Personas, register, walk

API = "/api/v1"


def seen_in_the_portal(p: Personas, appeal) -> dict:
    client = Client()
    client.force_login(p.customer)
    context = client.get(reverse("portal:appeal", args=[appeal.public_id])).context
    outcome = context["outcome"]
    return {
        "letters": [str(x.public_id) for x in context["letters"]],
        "documents": [str(d.public_id) for d in context["documents"]],
        # E-mails sent are folded under the entry of the action that caused them.
        "events": sum(1 + len(e.deliveries) for e in context["timeline"]),
        "outcome": [str(x.public_id) for x in outcome.letters] if outcome else None,
    }


def seen_through_the_api(p: Personas, appeal) -> dict:
    _, raw = api_token_create(user=p.customer, name="uji")
    client, headers = Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(path: str):
        response = client.get(f"{API}/appeals/{appeal.public_id}{path}", **headers)
        assert response.status_code == 200, path
        return response.json()

    outcome = get("")["outcome"]
    return {
        "letters": [x["id"] for x in get("/letters")],
        "documents": [d["id"] for d in get("/documents")],
        "events": len(get("/timeline")),
        "outcome": outcome["letters"] if outcome else None,
    }


@pytest.mark.parametrize("to_step", [10, 12, 99])
def test_the_portal_and_the_api_show_the_customer_the_same(p, to_step):
    appeal = walk(p, register(p), to_step)
    portal = seen_in_the_portal(p, appeal)
    assert portal == seen_through_the_api(p, appeal)
    expected = [str(x.public_id) for x in visibility.letters(appeal, p.customer)]
    assert portal["letters"] == expected
    if to_step == 99:  # closed: the decision and its delivery letter are the customer's
        kinds = set(visibility.letters(appeal, p.customer).values_list("kind", flat=True))
        assert {"keputusan", "penyampaian"} <= kinds
        assert portal["outcome"]
    else:  # the decision is taken but not delivered: neither shows a letter of it
        assert portal["letters"] == [] and portal["outcome"] is None


def test_staff_see_every_letter_the_customer_does_not(p):
    appeal = walk(p, register(p), 99)
    staff = set(visibility.letters(appeal, p.staff))
    customer = set(visibility.letters(appeal, p.customer))
    assert customer < staff
    assert not any(x.kind == "nota_dinas" for x in customer)
    assert not visibility.working_detail(p.customer) and visibility.working_detail(p.staff)
