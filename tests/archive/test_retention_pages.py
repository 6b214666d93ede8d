"""The "Retensi arsip" page, its actions and PDFs, the API, and what a destroyed file looks
like afterwards (appeal page, portal, downloads, evidence pack)."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from banding.archive.access import NOT_READER
from banding.archive.export import export_case
from banding.archive.models import DestroyedFile, Disposal, Transfer
from banding.letters.models import Letter
from tests.archive.conftest import closed
from tests.archive.test_retention_workflow import BASIS, aged, approved, proposed, schedule

PAGE = reverse("archive:retention")
QUERIES = 13


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "admin"])
def test_readers_open_the_page_with_the_schedule_and_its_basis(p, settings, who):
    schedule(settings)
    appeal = aged(closed(p), 3)
    response = client(getattr(p, who)).get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert BASIS in text and appeal.number in text


@pytest.mark.parametrize("who", ["tech", "customer"])
def test_others_are_refused_the_page(p, who):
    response = client(getattr(p, who)).get(PAGE)
    assert response.status_code == 403
    if who == "tech":
        assert NOT_READER in response.content.decode()


def test_the_page_costs_the_same_queries_however_many_files(
    p, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    schedule(settings)

    def one_of_each() -> None:
        aged(closed(p), 3)  # due for transfer
        aged(closed(p), 8)  # to propose
        proposed(p, aged(closed(p), 9))  # awaiting the head
        approved(p, aged(closed(p), 9), django_capture_on_commit_callbacks)  # decided

    one_of_each()
    c = client(p.staff)
    c.get(PAGE)  # warm the session
    with django_assert_num_queries(QUERIES):
        c.get(PAGE)
    one_of_each()
    with django_assert_num_queries(QUERIES):
        assert c.get(PAGE).status_code == 200


def test_the_keeper_transfers_from_the_page_and_gets_the_pdf(p, settings):
    schedule(settings)
    appeal = aged(closed(p), 3)
    c = client(p.staff)
    response = c.post(reverse("archive:transfer"), {"appeals": [appeal.public_id]})
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    pdf = c.get(reverse("archive:transfer_pdf", args=[transfer.public_id]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_refused_action_shows_its_message_on_the_page(p, settings):
    schedule(settings)
    appeal = closed(p)
    response = client(p.staff).post(reverse("archive:propose"), {"appeals": [appeal.public_id]})
    assert response.status_code == 409
    assert "arsip aktif tidak dapat dimusnahkan" in response.content.decode()
    assert not Disposal.objects.exists()


def test_the_head_approves_from_the_page_and_others_are_refused(p, settings):
    schedule(settings)
    disposal = proposed(p, aged(closed(p), 8))
    url = reverse("archive:decide", args=[disposal.public_id])
    refused = client(p.staff).post(url, {"decision": "approve"})
    assert refused.status_code == 403
    assert "hanya dapat disetujui atau ditolak oleh Kepala Balai" in refused.content.decode()
    response = client(p.head).post(url, {"decision": "approve"})
    assert response.status_code == 302
    disposal.refresh_from_db()
    assert disposal.ba_number
    ba = client(p.auditor).get(reverse("archive:minutes_pdf", args=[disposal.public_id]))
    assert ba.status_code == 200


def test_after_destruction_pages_and_downloads_say_so(
    p, settings, django_capture_on_commit_callbacks
):
    schedule(settings)
    appeal = aged(closed(p), 8)
    document = appeal.documents.first()
    letter = Letter.objects.filter(appeal=appeal).exclude(pdf="").first()
    disposal = approved(p, appeal, django_capture_on_commit_callbacks)
    staff = client(p.staff)
    page = staff.get(reverse("appeals:detail", args=[appeal.public_id])).content.decode()
    assert f"Berita Acara Pemusnahan nomor {disposal.ba_number}" in page
    doc_url = reverse("appeals:document", args=[appeal.public_id, document.public_id])
    gone = staff.get(doc_url)
    assert gone.status_code == 410
    assert disposal.ba_number in gone.content.decode()
    letter_url = reverse("letters:download", args=[appeal.public_id, letter.public_id])
    assert staff.get(letter_url).status_code == 410
    portal = client(p.customer).get(reverse("portal:appeal", args=[appeal.public_id]))
    assert disposal.ba_number in portal.content.decode()
    assert client(p.customer).get(doc_url).status_code == 410


def test_the_evidence_pack_of_a_destroyed_file_lists_the_hashes_only(
    p, settings, django_capture_on_commit_callbacks
):
    schedule(settings)
    appeal = aged(closed(p), 8)
    approved(p, appeal, django_capture_on_commit_callbacks)
    with zipfile.ZipFile(export_case(appeal, user=p.auditor)) as pack:
        names = pack.namelist()
        listed = json.loads(pack.read("pemusnahan.json"))
    assert not [n for n in names if n.startswith(("dokumen/", "surat/"))]
    kept = DestroyedFile.objects.filter(record__appeal=appeal)
    assert sorted(f["sha256"] for f in listed["files"]) == sorted(f.sha256 for f in kept)


# The API


def test_api_lists_and_refuses_with_json(p, settings, api):
    schedule(settings)
    active = closed(p)
    old = aged(closed(p), 8)
    body = api(p.lead).get("/retention").json()
    assert [r["number"] for r in body["to_propose"]["items"]] == [old.number]
    assert api(p.tech).get("/retention").status_code == 403

    response = api(p.staff).post("/retention/disposals", {"appeals": [str(active.public_id)]})
    assert response.status_code == 409
    assert response.json()["code"] == "still_active"
    assert not Disposal.objects.exists()

    made = api(p.staff).post("/retention/disposals", {"appeals": [str(old.public_id)]})
    assert made.status_code == 201
    proposal = made.json()["id"]
    by_staff = api(p.staff).post(f"/retention/disposals/{proposal}/approve", {})
    assert by_staff.status_code == 403
    assert by_staff.json()["code"] == "forbidden"


def test_api_approval_and_the_download_after_it(
    p, settings, api, django_capture_on_commit_callbacks
):
    schedule(settings)
    appeal = aged(closed(p), 8)
    document = appeal.documents.first()
    disposal = proposed(p, appeal)
    with django_capture_on_commit_callbacks(execute=True):
        done = api(p.head).post(f"/retention/disposals/{disposal.public_id}/approve", {})
    assert done.status_code == 200
    assert done.json()["berita_acara"]
    twice = api(p.head).post(f"/retention/disposals/{disposal.public_id}/approve", {})
    assert (twice.status_code, twice.json()["code"]) == (409, "already_decided")
    gone = api(p.staff).get(f"/appeals/{appeal.public_id}/documents/{document.public_id}/file")
    assert gone.status_code == 410
    assert gone.json()["code"] == "destroyed"
