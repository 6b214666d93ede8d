"""Bad input found by fuzzing (issue 20): control characters anywhere, unreadable multipart
bodies, file names too long and implausible dates are a 400 in the API's error shape, with
nothing written; the portal's forms say the same in Indonesian. The one check is
banding.inputs."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from banding import inputs
from banding.accounts.models import ApiToken
from banding.api.urls import api as ninja_api
from banding.appeals.models import Appeal
from banding.portal.forms import SubmitForm
from tests.api.conftest import BASE
from tests.factories import PDF_BYTES, pdf
from tests.state import stored_files

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)
REFUSED = "Tidak boleh berisi karakter kendali (mis. NUL) atau karakter Unicode yang tidak sah."
OUT_OF_RANGE = (
    "Tanggal di luar rentang yang masuk akal (sejak 1 Januari 2000 sampai 5 tahun ke depan)."
)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def submit_data(**overrides) -> dict:
    data = {
        "complaint_reference": "KEL/2026/017",
        "complaint_outcome_date": "2026-02-20",
        "service_type": "pengujian",
        "grounds": "Hasil uji tidak sesuai.",
        "remedy_sought": "Pengujian ulang.",
        "letter": pdf(),
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def refused(response, field: str, message: str = REFUSED) -> None:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["fields"] == {field: [message]}


# --- the validator itself ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["a\x00b", "\x07", "x\x1b[0m", "del\x7f", "\ud800", "\x0b"])
def test_control_characters_and_lone_surrogates_are_found(text):
    assert inputs.has_control_characters(text)


@pytest.mark.parametrize("text", ["", "Baris satu\nbaris dua\r\n\tdengan tab", "Ünïcödé ✓ 😀"])
def test_ordinary_text_passes(text):
    assert not inputs.has_control_characters(text)


# --- query parameters --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/appeals", "/appeals/export"])
@pytest.mark.parametrize("text", ["a\x00b", "a\x01b", "a\x7fb"])
def test_a_control_character_in_a_query_is_a_400(api, p, path, text):
    response = api(p.staff).get(path, {"q": text})

    refused(response, "q")


def test_tabs_and_newlines_in_a_query_are_fine(api, p):
    assert api(p.staff).get("/appeals", {"q": "a\tb\nc"}).status_code == 200


def test_a_control_character_in_a_query_key_is_not_echoed(api, p):
    response = api(p.staff).get("/appeals", {"a\x00b": "1"})

    refused(response, "__all__")


def test_a_control_character_in_the_path_is_a_404(api, p):
    response = api(p.staff).get("/appeals/a%00b")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- bodies: JSON, form fields, file names ---------------------------------------------


@pytest.mark.parametrize("name", ["a\x00b", "\ud800", "bel\x07"])
def test_a_control_character_in_a_json_string_is_a_400_and_no_token_is_made(api, p, name):
    caller = api(p.staff)
    before = ApiToken.objects.count()

    response = caller.client.post(
        BASE + "/tokens",
        json.dumps({"name": name}),
        content_type="application/json",
        **caller._headers(),
    )

    refused(response, "name")
    assert ApiToken.objects.count() == before


def test_a_json_body_sent_as_text_is_checked_too(api, p):
    caller = api(p.staff)
    before = ApiToken.objects.count()

    response = caller.client.post(
        BASE + "/tokens",
        json.dumps({"name": "a\x00b"}),
        content_type="text/plain",
        **caller._headers(),
    )

    refused(response, "name")
    assert ApiToken.objects.count() == before


def test_a_control_character_deep_in_json_names_its_place(api, p):
    caller = api(p.staff)
    body = {"name": "ok", "extra": {"list": ["fine", "bad\x00"]}, "k\x00": 1}

    response = caller.post("/tokens", body)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"extra.list.1", "__all__"}


def test_a_nul_in_a_submitted_appeal_is_refused_and_nothing_is_stored(api, p):
    response = api(p.customer).upload("/appeals/submit", submit_data(grounds="a\x00b"))

    refused(response, "grounds")
    assert not Appeal.objects.exists()
    assert stored_files() == frozenset()


def test_a_nul_inside_the_batch_intakes_json_is_refused(api, p):
    item = {"grounds": "a\x00b", "letter": "surat"}
    response = api(p.staff).upload(
        "/appeals/batch", {"appeals": json.dumps([item]), "surat": pdf()}
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"appeals.0.grounds": [REFUSED]}
    assert not Appeal.objects.exists()


# --- unreadable multipart ----------------------------------------------------------------


MULTIPART_PATHS = [
    "/appeals/submit",
    "/appeals/{id}/documents",
    "/appeals/{id}/investigation/report",
]


@pytest.mark.parametrize("path", MULTIPART_PATHS)
def test_a_multipart_body_without_a_boundary_is_a_400(api, p, path):
    caller = api(p.customer if path == "/appeals/submit" else p.staff)
    appeal_id = "00000000-0000-4000-8000-000000000000"

    response = caller.client.post(
        BASE + path.format(id=appeal_id),
        b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--\r\n",
        content_type="multipart/form-data",
        **caller._headers(),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "multipart/form-data" in response.json()["message"]


def test_a_1000_character_file_name_is_a_400(api, p):
    caller = api(p.customer)
    name = "s" * 1000 + ".pdf"
    body = (
        b"--B\r\n"
        b'Content-Disposition: form-data; name="letter"; filename="' + name.encode() + b'"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF_BYTES + b"\r\n--B--\r\n"
    )

    response = caller.client.post(
        BASE + "/appeals/submit",
        body,
        content_type="multipart/form-data; boundary=B",
        **caller._headers(),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert not Appeal.objects.exists()


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2100-01-01"])
def test_an_implausible_complaint_date_is_refused(api, p, day):
    response = api(p.customer).upload("/appeals/submit", submit_data(complaint_outcome_date=day))

    refused(response, "complaint_outcome_date", OUT_OF_RANGE)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Harus tanggal dengan format YYYY-MM-DD."),
        ("1700000000", "Harus tanggal dengan format YYYY-MM-DD."),
        ("1970-01-01", OUT_OF_RANGE),
    ],
)
def test_a_date_filter_must_be_an_iso_date_in_range(api, p, value, message):
    response = api(p.staff).get("/appeals", {"received_to": value})

    refused(response, "received_to", message)


def test_a_plausible_date_filter_is_fine(api, p):
    assert api(p.staff).get("/appeals", {"received_to": "2026-01-31"}).status_code == 200


# --- the schema says what the API does ---------------------------------------------------


def test_the_schema_documents_kinds_downloads_and_errors():
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    paths = schema["paths"]
    notice = schema["components"]["schemas"]["NotificationOut"]["properties"]["kind"]
    assert "step_assigned" in notice["enum"]
    token = schema["components"]["schemas"]["TokenIn"]
    assert token["required"] == ["name"]
    assert token["properties"]["name"]["minLength"] == 1
    download = paths["/api/v1/appeals/{public_id}/documents/{doc_id}/file"]["get"]["responses"]
    assert "application/pdf" in download["200"]["content"]
    assert "application/json" not in download["200"]["content"]
    export = paths["/api/v1/appeals/export"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in export
    for operations in paths.values():
        for operation in operations.values():
            error = operation["responses"]["4XX"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}


# --- the forms: the same check, in Indonesian --------------------------------------------


def form_data(**overrides) -> dict:
    data = submit_data(**overrides)
    data.pop("letter", None)
    return data


def test_the_portal_form_refuses_control_characters_in_indonesian(p):
    form = SubmitForm(
        data=form_data(grounds="a\x00b", remedy_sought="x\x1by"),
        files={"letter": pdf()},
        user=p.customer,
    )

    assert not form.is_valid()
    assert form.errors["grounds"] == [REFUSED]
    assert form.errors["remedy_sought"] == [REFUSED]


def test_the_portal_form_refuses_an_implausible_date(p):
    form = SubmitForm(
        data=form_data(complaint_outcome_date="1999-12-31"),
        files={"letter": pdf()},
        user=p.customer,
    )

    assert not form.is_valid()
    assert form.errors["complaint_outcome_date"] == [OUT_OF_RANGE]


def test_the_portal_page_shows_the_refusal_and_stores_nothing(client, p):
    client.force_login(p.customer)

    response = client.post("/portal/ajukan/", submit_data(grounds="a\x00b"))

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not Appeal.objects.exists()
    assert stored_files() == frozenset()


def test_an_unreadable_multipart_page_request_is_a_400(client, p):
    client.force_login(p.customer)

    response = client.post("/portal/ajukan/", b"--x\r\n\r\n", content_type="multipart/form-data")

    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_a_page_query_with_a_control_character_is_a_400_page_that_says_why(client, p):
    client.force_login(p.head)

    response = client.get(reverse("accounts:organizations"), {"q": "a\x00b"})

    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_a_portal_query_with_a_control_character_is_a_400_portal_page(client, p):
    client.force_login(p.customer)

    response = client.get("/portal/", {"page": "\x01"})

    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_a_view_without_a_form_refuses_a_posted_control_character_and_writes_nothing(p):
    from django.test import Client

    from banding.archive.models import Transfer

    c = Client()
    c.force_login(p.staff)

    response = c.post(reverse("archive:transfer"), {"appeals": ["x"], "note": "a\x00b"})

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not Transfer.objects.exists()
