"""Idempotency-Key (banding.api.idempotency): a retried intake or step action with the same key
gets the first answer and records nothing again; the same key with another body is refused;
keys are one account's; the worker forgets them after BANDING_IDEMPOTENCY_HOURS."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from banding.api.idempotency import prune_idempotent_requests
from banding.api.models import IdempotentRequest
from banding.appeals.models import Appeal
from banding.audit.models import Event
from tests.api.conftest import BASE
from tests.concurrency import errors_of, in_threads
from tests.factories import NO_INVOLVED, pdf

KEY = "4f0c2a55-7d4e-4c1b-9d2e-3b0a1c9e7f11"
NOW = timezone.localtime().replace(microsecond=0)  # a retry sends the very same body


def intake_data(p, **overrides) -> dict:
    now = NOW
    return {
        "organization": str(p.org.public_id),
        "contact_name": "Budi Santoso",
        "channel": "courier",
        "received_at": (now - timedelta(hours=2)).isoformat(),
        "complaint_reference": "KEL/2026/017",
        "complaint_outcome_date": (now - timedelta(days=10)).date().isoformat(),
        "service_type": "pengujian",
        "grounds": "Hasil uji kadar air tidak sesuai.",
        "remedy_sought": "Pengujian ulang.",
        "no_involved_reason": NO_INVOLVED,
        "letter": pdf(),
        **overrides,
    }


def post_intake(caller, p, key: str | None = KEY, **overrides):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return caller.client.post(
        BASE + "/appeals", intake_data(p, **overrides), **caller._headers(), **headers
    )


def test_a_retried_intake_gets_the_first_answer_and_records_one_appeal(api, p):
    caller = api(p.staff)
    first = post_intake(caller, p)
    assert first.status_code == 201, first.json()
    events = Event.objects.count()
    again = post_intake(caller, p)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Appeal.objects.count() == 1
    assert Event.objects.count() == events  # nothing recorded the second time


def test_without_a_key_each_request_is_its_own(api, p):
    caller = api(p.staff)
    assert post_intake(caller, p, key=None).status_code == 201
    # the same complaint again: the duplicate warning, as always
    second = post_intake(caller, p, key=None)
    assert second.status_code == 409
    assert Appeal.objects.count() == 1
    assert not IdempotentRequest.objects.exists()


def test_the_same_key_with_another_body_is_refused(api, p):
    caller = api(p.staff)
    assert post_intake(caller, p).status_code == 201
    other = post_intake(caller, p, grounds="Alasan lain.", confirm_new="true")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert other.json()["message"].startswith("Idempotency-Key ini sudah dipakai")
    # another file under the same key is another body too
    file_changed = post_intake(caller, p, letter=pdf(content=b"%PDF-1.4\n% lain\n%%EOF\n"))
    assert file_changed.status_code == 422
    assert Appeal.objects.count() == 1


def test_the_same_key_on_another_operation_is_refused(api, p):
    caller = api(p.staff)
    body = post_intake(caller, p).json()
    response = caller.client.post(
        f"{BASE}/appeals/{body['id']}/verify",
        json.dumps({"relevant": True}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=KEY,
        **caller._headers(),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


def test_keys_belong_to_one_account(api, p):
    from tests.factories import make_user

    other_registrar = make_user("staf_dua", "pjtk_staff")
    assert post_intake(api(p.staff), p).status_code == 201
    # another account's request under the same key is its own request (the duplicate warning)
    response = post_intake(api(other_registrar), p)
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_suspected"


def test_a_refused_request_gives_its_key_back(api, p):
    caller = api(p.staff)
    refused = post_intake(caller, p, grounds="")
    assert refused.status_code == 400
    assert not IdempotentRequest.objects.exists()
    # corrected, under the same key
    assert post_intake(caller, p).status_code == 201


def test_a_step_action_is_not_done_twice(api, p):
    caller = api(p.staff)
    appeal = post_intake(caller, p, key="intake-1").json()
    lead = api(p.lead)

    verify = {"checklist": {}, "relevant": False, "reasons": "Bukan atas hasil keluhan."}

    def take():
        return lead.client.post(
            f"{BASE}/appeals/{appeal['id']}/verify",
            json.dumps(verify),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="catatan-1",
            **lead._headers(),
        )

    first = take()
    assert first.status_code == 200, first.json()
    assert first.json()["current_step"]["number"] == 4
    events = Event.objects.count()
    again = take()
    assert Event.objects.count() == events
    assert again.status_code == first.status_code
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize("key", ["", "a b", "x" * 256, "kunci\u00e9"])
def test_a_malformed_key_is_refused(api, p, key):
    response = post_intake(api(p.staff), p, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["fields"]) == ["Idempotency-Key"]
    assert not Appeal.objects.exists()


def test_a_key_still_being_handled_answers_409(api, p):
    caller = api(p.staff)
    IdempotentRequest.objects.create(
        user=p.staff, key=KEY, operation="POST /api/v1/appeals", fingerprint="-"
    )
    # the fingerprint differs: reused
    assert post_intake(caller, p).status_code == 422
    IdempotentRequest.objects.all().delete()
    first = post_intake(caller, p)
    IdempotentRequest.objects.update(status_code=None, body="")  # as if still running
    response = post_intake(caller, p)
    assert first.status_code == 201
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_progress"


def test_a_key_abandoned_by_a_dead_process_is_taken_over(api, p):
    caller = api(p.staff)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        # the row of a request whose process died before it answered
        IdempotentRequest.objects.create(
            user=p.staff, key=KEY, operation="POST /api/v1/appeals", fingerprint="-"
        )
        traveller.shift(timedelta(minutes=4))
        assert post_intake(caller, p).status_code == 422  # still counted as running
        traveller.shift(timedelta(minutes=2))
        response = post_intake(caller, p)
    assert response.status_code == 201
    assert Appeal.objects.count() == 1


def test_the_worker_forgets_keys_after_a_day(api, p, settings):
    caller = api(p.staff)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        post_intake(caller, p)
        traveller.shift(timedelta(hours=23))
        assert not prune_idempotent_requests()
        assert IdempotentRequest.objects.count() == 1
        traveller.shift(timedelta(hours=2))
        assert str(prune_idempotent_requests()) == "1 kunci Idempotency-Key lama dihapus"
    assert not IdempotentRequest.objects.exists()


def test_the_schema_documents_the_header(api, p):
    schema = Client().get(BASE + "/openapi.json").json()
    for path in ("/api/v1/appeals", "/api/v1/appeals/submit", "/api/v1/appeals/{public_id}/verify"):
        operation = schema["paths"][path]["post"]
        [header] = [x for x in operation["parameters"] if x["name"] == "Idempotency-Key"]
        assert header["in"] == "header"
        assert header["required"] is False
        assert "422" in operation["responses"]
    reads = schema["paths"]["/api/v1/appeals"]["get"]
    assert all(x["name"] != "Idempotency-Key" for x in reads.get("parameters", []))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_retries_with_one_key_record_one_appeal(p):
    from banding.accounts.services import api_token_create

    _, raw = api_token_create(user=p.staff, name="uji")
    count = 8

    def send(i: int):
        return Client().post(
            BASE + "/appeals",
            intake_data(p),
            HTTP_AUTHORIZATION=f"Bearer {raw}",
            HTTP_IDEMPOTENCY_KEY=KEY,
        )

    results = in_threads(count, send)
    assert errors_of(results) == []
    statuses = sorted(r.status_code for r in results)  # type: ignore[union-attr]
    assert Appeal.objects.count() == 1
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    created = {r.json()["id"] for r in results if r.status_code == 201}  # type: ignore[union-attr]
    assert len(created) == 1
    assert all(
        r.json()["code"] == "idempotency_key_in_progress"  # type: ignore[union-attr]
        for r in results
        if r.status_code == 409  # type: ignore[union-attr]
    )
