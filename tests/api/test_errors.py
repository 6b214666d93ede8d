"""Authentication and the shape of every error: JSON with a code, a message and fields."""

import json
import uuid

from django.http import Http404
from django.test import Client

from banding.accounts.services import api_token_create, api_token_revoke
from banding.api.auth import CSRF_REFUSED
from banding.api.errors import SERVER_ERROR, UNAUTHENTICATED
from banding.api.urls import api as api_object
from banding.appeals.models import Appeal
from tests.api.conftest import BASE
from tests.factories import register, walk
from tests.state import capture


def test_no_credentials_is_401_json(api, p):
    appeal = register(p)
    for path in ("/appeals", f"/appeals/{appeal.public_id}", "/me", "/sop", "/tokens"):
        response = api().get(path)
        assert response.status_code == 401
        assert response.json() == {
            "code": "unauthenticated",
            "message": UNAUTHENTICATED,
            "fields": {},
        }
        assert response["WWW-Authenticate"].startswith("Bearer")
    before = capture()
    assert api().post(f"/appeals/{appeal.public_id}/verify", {"relevant": False}).status_code == 401
    assert capture() == before


def test_an_unknown_token_is_401(api, p):
    client = Client()
    for header in ("Bearer sbd_bukan-token", "Bearer ", "Token abc"):
        response = client.get(BASE + "/me", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_a_revoked_token_is_401_even_with_a_logged_in_session(p):
    token, raw = api_token_create(user=p.staff, name="skrip")
    client = Client()
    assert client.get(BASE + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    api_token_revoke(user=p.staff, public_id=token.public_id)
    client.force_login(p.staff)
    response = client.get(BASE + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_token_of_a_deactivated_user_is_401(p):
    _, raw = api_token_create(user=p.staff, name="skrip")
    p.staff.is_active = False
    p.staff.save(update_fields=["is_active"])
    response = Client().get(BASE + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_the_session_reads_and_acts_with_csrf(p):
    appeal = register(p)
    client = Client(enforce_csrf_checks=True)
    client.force_login(p.lead)
    assert client.get(BASE + f"/appeals/{appeal.public_id}").status_code == 200
    url = BASE + f"/appeals/{appeal.public_id}/verify"
    body = '{"relevant": false, "reasons": "Bukan atas hasil keluhan."}'

    before = capture()
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json() == {"code": "csrf_failed", "message": CSRF_REFUSED, "fields": {}}
    assert capture() == before

    client.get(BASE + "/docs")  # any page that renders the token sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    done = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 200, done.json()
    assert done.json()["current_step"]["number"] == 4


def test_an_anonymous_post_is_401_not_a_csrf_refusal(p):
    appeal = register(p)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        BASE + f"/appeals/{appeal.public_id}/verify", "{}", content_type="application/json"
    )
    assert response.status_code == 401


def test_an_unknown_appeal_is_404(api, p):
    caller = api(p.staff)
    for path in (
        f"/appeals/{uuid.uuid4()}",
        f"/appeals/{uuid.uuid4()}/timeline",
        f"/appeals/{uuid.uuid4()}/documents",
        "/appeals/BDG-2026-0001",
    ):
        response = caller.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    response = caller.post(f"/appeals/{uuid.uuid4()}/reject", {"delivered_at": "2026-01-01T10:00"})
    assert response.json() == {
        "code": "not_found",
        "message": "Banding tidak ditemukan.",
        "fields": {},
    }


def test_a_malformed_body_is_a_400_validation_error(api, p):
    appeal = register(p)
    url = f"/appeals/{appeal.public_id}/verify"
    caller = api(p.lead)
    before = capture()

    response = caller.client.post(
        BASE + url,
        "{tidak json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {caller.token}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"

    response = caller.post(url, {"relevant": "mungkin", "checklist": ["a"]})
    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "message": "Data yang dikirim tidak valid; periksa isian yang ditandai.",
        "fields": {
            "relevant": ["Harus true atau false."],
            "checklist": ["Harus berupa objek JSON."],
        },
    }
    response = caller.post(f"/appeals/{appeal.public_id}/reject", {"delivered_at": "kemarin"})
    assert response.json()["fields"] == {
        "delivered_at": ["Harus tanggal dan waktu ISO 8601, mis. 2026-05-04T09:30:00+07:00."]
    }
    assert capture() == before


def test_a_service_refusal_carries_its_fields(api, p):
    appeal = register(p)
    response = api(p.lead).post(f"/appeals/{appeal.public_id}/verify", {"relevant": False})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Alasan wajib diisi bila banding tidak relevan.",
        "fields": {"reasons": ["Alasan wajib diisi bila banding tidak relevan."]},
    }


def test_unknown_people_and_teams_are_named_in_a_400(api, p):
    appeal = register(p)
    stranger = uuid.uuid4()
    response = api(p.lead).post(
        f"/appeals/{appeal.public_id}/verify",
        {"relevant": True, "technical_team": "gaib"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Bagian/Tim Teknis tidak dikenal: gaib."
    response = api(p.lead).post(
        f"/appeals/{appeal.public_id}/verify",
        {"relevant": True, "checklist": {"Surat kaleng": True}},
    )
    assert response.json()["message"] == "Butir daftar periksa tidak dikenal: Surat kaleng."
    appeal = walk(p, appeal, 5)
    response = api(p.tech).post(
        f"/appeals/{appeal.public_id}/panel/propose",
        {"members": [str(p.panel[0].public_id), str(stranger)], "chair": str(p.panel[0].public_id)},
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_reference",
        "message": f"Pengguna tidak dikenal: {stranger}.",
        "fields": {"members": [f"Pengguna tidak dikenal: {stranger}."]},
    }
    assert Appeal.objects.get(pk=appeal.pk).current_step == 5


def test_an_unknown_filter_value_is_a_400_that_lists_the_choices(api, p):
    response = api(p.staff).get("/appeals", {"status": "hilang"})
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "status": [
            "Nilai tidak dikenal; pilihan: 'open', 'rejected', 'closed', 'withdrawn' atau "
            "'duplicate'."
        ]
    }


def test_an_unexpected_failure_is_a_500_json_and_is_logged(api, p, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr("banding.appeals.services.appeal_reject", broken)
    appeal = register(p)
    response = api(p.staff).post(
        f"/appeals/{appeal.public_id}/reject", {"delivered_at": "2026-01-05T10:00:00"}
    )
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": SERVER_ERROR, "fields": {}}
    assert "disk penuh" in caplog.text


def test_a_django_404_inside_the_api_is_json(rf, p):
    request = rf.get("/api/v1/appeals")
    response = api_object.on_exception(request, Http404("tidak ada"))
    assert response.status_code == 404
    assert json.loads(response.content) == {
        "code": "not_found",
        "message": "Tidak ditemukan.",
        "fields": {},
    }
