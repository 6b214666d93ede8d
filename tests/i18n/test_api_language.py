"""API errors in the caller's language: Accept-Language, or the token account's choice."""

from __future__ import annotations

import uuid

from banding.api.errors import UNAUTHENTICATED
from tests.api.conftest import BASE


def test_an_error_in_english_for_an_english_client(api, p):
    caller = api(p.customer)

    response = caller.client.get(
        f"{BASE}/appeals/{uuid.uuid4()}", HTTP_ACCEPT_LANGUAGE="en", **caller._headers()
    )

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Appeal not found.", "fields": {}}
    assert response["Content-Language"] == "en"


def test_without_a_choice_the_error_is_indonesian(api, p):
    response = api(p.customer).get(f"/appeals/{uuid.uuid4()}")

    assert response.json()["message"] == "Banding tidak ditemukan."


def test_the_token_accounts_choice_says_the_error(api, p):
    p.customer.language = "en"
    p.customer.save(update_fields=["language"])

    response = api(p.customer).upload("/appeals/submit", {"service_type": "pengujian"})

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "The data sent is not valid; check the fields marked."
    assert ["Required."] in body["fields"].values(), body


def test_the_unauthenticated_answer_in_both_languages(api, db):
    english = api().client.get(f"{BASE}/me", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = api().client.get(f"{BASE}/me")

    assert english.json()["message"].startswith("Authentication required")
    assert indonesian.json()["message"] == UNAUTHENTICATED


def test_a_service_refusal_with_fields_in_english(api, p):
    p.customer.language = "en"
    p.customer.save(update_fields=["language"])
    caller = api(p.customer)

    response = caller.upload(
        "/appeals/submit",
        {
            "complaint_reference": "KEL/1",
            "complaint_outcome_date": "2026-01-05",
            "service_type": "up_kalibrasi",
            "grounds": "x",
            "remedy_sought": "y",
        },
    )

    assert response.status_code == 400, response.content
    assert response.json()["message"].startswith(
        "Appeals against calibration proficiency testing results cannot be accepted"
    )
