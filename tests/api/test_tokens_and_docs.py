"""Personal tokens through the API, and the self-describing API: schema and docs page."""

import re

from django.contrib.staticfiles import finders
from django.test import Client

from banding.accounts.models import ApiToken
from tests.api.conftest import BASE


def test_a_user_creates_lists_and_revokes_tokens(api, p):
    caller = api(p.staff)
    created = caller.post("/tokens", {"name": "Skrip rekap"})
    assert created.status_code == 201
    body = created.json()
    raw = body["raw"]
    assert raw.startswith("sbd_")
    assert body["token"]["hint"] == raw[:8]

    listed = caller.get("/tokens").json()
    assert {t["name"] for t in listed} == {"uji", "Skrip rekap"}
    assert all("raw" not in t for t in listed)

    new = Client()
    assert new.get(BASE + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "staff"
    revoked = caller.delete(f"/tokens/{body['token']['id']}")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert new.get(BASE + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401

    again = caller.delete(f"/tokens/{body['token']['id']}")
    assert again.status_code == 409
    assert again.json() == {
        "code": "token_revoked",
        "message": "Token ini sudah dicabut.",
        "fields": {},
    }


def test_a_token_needs_a_name(api, p):
    response = api(p.staff).post("/tokens", {"name": "  "})
    assert response.status_code == 400
    assert response.json()["fields"] == {"name": ["Nama token wajib diisi."]}


def test_nobody_revokes_anothers_token(api, p):
    theirs = api(p.lead)
    token = ApiToken.objects.get(user=p.lead)
    response = api(p.staff).delete(f"/tokens/{token.public_id}")
    assert response.status_code == 404
    assert response.json()["message"] == "Token tidak ditemukan."
    assert theirs.get("/me").status_code == 200


def test_the_openapi_schema_lists_every_action(client):
    response = client.get(BASE + "/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for action in (
        "verify",
        "reject",
        "panel/propose",
        "panel/appoint",
        "panel/declare",
        "investigation/notes",
        "investigation/report",
        "decision",
        "decision/approve",
        "decision/return",
        "disposition",
        "close",
        "documents",
    ):
        assert "post" in paths[f"/api/v1/appeals/{{public_id}}/{action}"], action
    assert set(paths["/api/v1/appeals"]) == {"get", "post"}
    # The batch intake is documented as what it is: a multipart form whose `appeals` part is
    # a JSON list of intakes, beside the files it names.
    (body,) = paths["/api/v1/appeals/batch"]["post"]["requestBody"]["content"].items()
    assert body[0] == "multipart/form-data"
    listed = body[1]["schema"]["properties"]["appeals"]["contentSchema"]
    assert listed["type"] == "array"
    item = listed["$defs"][listed["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"grounds", "letter", "attachments"} <= set(item["properties"])
    assert "delete" in paths["/api/v1/tokens/{public_id}"]
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_page_loads_only_local_static_files(client, settings):
    response = client.get(BASE + "/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert any(u.endswith("swagger-ui.css") for u in urls)
    for url in urls:
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
    assert '"validatorUrl": null' in html
    assert "//cdn" not in html and "http://" not in html and "https://" not in html
    # No inline script: the only <script> without src carries JSON settings.
    for attrs in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attrs or 'type="application/json"' in attrs
