"""Step 11: decision_disposition (the ketua tim passes the approved decision to staff)."""

import pytest

from banding.appeals import services
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from tests.factories import register, walk
from tests.state import (
    assert_completed,
    assert_stands_at,
    new_events,
    persona,
    refused,
)

NOT_LEAD = (
    "Langkah 11 (Disposisi ke staff PJTK) dikerjakan oleh Ketua Tim PJTK; Anda tidak berperan itu."
)


@pytest.fixture
def appeal(p):
    return walk(p, register(p), 11)


def disposition(p, appeal, **overrides):
    fields = dict(appeal=appeal, user=p.lead, note=" Sampaikan hari ini. ")
    fields.update(overrides)
    return services.decision_disposition(**fields)


def test_the_ketua_tim_dispositions_to_staff(p, appeal):
    events = Event.objects.count()

    disposition(p, appeal)

    assert_stands_at(appeal, 12)
    step = assert_completed(appeal, 11, by=p.lead, outcome="dispositioned")
    assert step.data["note"] == "Sampaikan hari ini."
    # The approved decision it passes on, still in force, is recorded with it.
    assert [o["kind"] for o in step.data["outputs"]] == ["keputusan"]
    assert new_events(events) == ["step.11.dispositioned"]
    assert Event.objects.last().summary == "Keputusan didisposisikan kepada staff PJTK"


def test_the_disposition_needs_its_text(p, appeal):
    message = "Isi disposisi wajib diisi."

    error = refused(lambda: disposition(p, appeal, note="  "), Invalid, message, "invalid")

    assert error.fields == {"note": [message]}


@pytest.mark.parametrize("who", ["staff", "head", "auditor", "admin", "tech", "panel_1"])
def test_other_roles_may_not_disposition(p, appeal, who):
    refused(
        lambda: disposition(p, appeal, user=persona(p, who)), Forbidden, NOT_LEAD, "not_your_role"
    )


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_may_not_disposition(p, appeal, who):
    refused(
        lambda: disposition(p, appeal, user=persona(p, who)), Forbidden, NOT_LEAD, "not_your_role"
    )


def test_the_ketua_tim_may_not_disposition_before_approval(p):
    appeal = walk(p, register(p), 10)

    refused(
        lambda: disposition(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 10 (Persetujuan keputusan), "
        "bukan langkah 11 (Disposisi ke staff PJTK).",
        "wrong_step",
    )


def test_the_ketua_tim_may_not_disposition_twice(p, appeal):
    disposition(p, appeal)

    refused(
        lambda: disposition(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 12 (Penyampaian keputusan dan "
        "pengarsipan), bukan langkah 11 (Disposisi ke staff PJTK).",
        "wrong_step",
    )
