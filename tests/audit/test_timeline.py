"""The timeline folds the e-mails an action caused under it: on the staff page and in the
customer's history, with the same number of queries."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from banding.audit.actions import Action
from banding.audit.log import record
from banding.audit.models import Event
from banding.audit.timeline import fold
from tests.factories import register
from tests.web.helpers import detail_url


def event(action: str, summary: str = "") -> Event:
    return Event(action=action, summary=summary or action)


def test_it_folds_deliveries_under_the_action_before_them():
    events = [
        event("appeal.registered"),
        event("email.sent", "Surel terkirim kepada a@x.example: Banding diterima"),
        event("email.sent", "Surel terkirim kepada b@x.example: Giliran Anda"),
        event("step.3.relevant"),
        event("email.failed"),
        event("email.sent"),
        event("document.added"),
    ]
    folded = fold(events)
    assert [f.event.action for f in folded] == [
        "appeal.registered",
        "step.3.relevant",
        "document.added",
    ]
    assert [len(f.deliveries) for f in folded] == [2, 2, 0]
    assert (folded[1].sent, folded[1].failed) == (1, 1)


def test_it_keeps_a_delivery_before_any_action_as_its_own_entry():
    folded = fold([event("email.sent"), event("appeal.registered")])
    assert [f.event.action for f in folded] == ["email.sent", "appeal.registered"]


def test_a_resend_is_an_action_not_a_delivery():
    folded = fold([event("appeal.registered"), event(Action.EMAIL_RESEND.value)])
    assert len(folded) == 2


def mails(appeal, count: int, *, public: bool) -> None:
    with transaction.atomic():
        for n in range(count):
            record(
                action=Action.EMAIL_SENT,
                appeal=appeal,
                summary=f"Surel terkirim kepada orang{n}@contoh.example: Banding diterima",
                public=public,
            )


def test_the_staff_page_shows_one_entry_with_a_count_of_its_mails(client, p):
    appeal = register(p)
    mails(appeal, 3, public=True)
    client.force_login(p.staff)
    response = client.get(detail_url(appeal))
    body = response.content.decode()
    folded = response.context["events"]
    assert [len(f.deliveries) for f in folded][-1] == 3
    assert "3 surel terkirim" in body
    assert body.count("Surel terkirim kepada") == 3  # inside the folded list only
    assert all(f.event.action != "email.sent" for f in folded)


def test_the_staff_page_costs_the_same_queries_with_more_mails(
    client, p, django_assert_num_queries
):
    from tests.web.test_detail import PAGE_QUERIES

    appeal = register(p)
    mails(appeal, 1, public=True)
    client.force_login(p.staff)
    client.get(detail_url(appeal))
    with django_assert_num_queries(PAGE_QUERIES - 1):  # no seats yet, as for a new appeal
        client.get(detail_url(appeal))
    mails(appeal, 10, public=False)
    with django_assert_num_queries(PAGE_QUERIES - 1):
        client.get(detail_url(appeal))


def test_the_customers_history_folds_the_mails_it_was_sent(client, p):
    appeal = register(p)
    mails(appeal, 2, public=True)
    mails(appeal, 1, public=False)  # to staff: not the customer's
    client.force_login(p.customer)
    response = client.get(reverse("portal:appeal", args=[appeal.public_id]))
    timeline = response.context["timeline"]
    assert len(timeline[-1].deliveries) == 2
    assert all(not e.title.startswith("Surel") for e in timeline)
    assert "2 surel terkirim" in response.content.decode()
