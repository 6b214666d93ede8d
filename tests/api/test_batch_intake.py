"""Batch intake through the API: several appeals in one multipart request, registered as the
single intake registers one, all in one transaction or none, in a number of queries that does
not grow with the batch."""

import hashlib
import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banding.accounts.models import CustomerOrganization
from banding.accounts.roles import Role
from banding.appeals.models import Appeal
from banding.appeals.services import INTAKE_BATCH_MAX
from banding.audit.chain import GENESIS
from banding.audit.models import ChainHead, Event
from banding.notifications.models import Kind, Mail, Notification
from banding.sop.definition import CALIBRATION_PT_EXCEPTION
from tests.factories import NO_INVOLVED, PDF_BYTES, make_user, pdf
from tests.state import capture


def item(p, i: int, **overrides) -> dict:
    now = timezone.localtime()
    answer = {} if "involved_persons" in overrides else {"no_involved_reason": NO_INVOLVED}
    return {
        **answer,
        "organization": str(p.org.public_id),
        "contact_name": f"Kontak {i}",
        "contact_email": f"kontak{i}@kimia.example",
        "channel": "email",
        "received_at": (now - timedelta(hours=3)).isoformat(),
        "complaint_reference": f"KEL/BATCH/{i}",
        "complaint_outcome_date": (now - timedelta(days=9)).date().isoformat(),
        "service_type": "pengujian",
        "reference_document": f"LHU-{i}",
        "grounds": f"Alasan banding ke-{i}.",
        "remedy_sought": "Pengujian ulang.",
        "letter": f"surat-{i}",
        **overrides,
    }


def letter(name: str) -> bytes:
    """A PDF of its own: the same document with its name in a comment."""
    return PDF_BYTES + f"\n% {name}\n".encode()


def send(api, user, items: list[dict], files: dict | None = None):
    if files is None:
        files = {it["letter"]: pdf(f"{it['letter']}.pdf", letter(it["letter"])) for it in items}
    return api(user).upload("/appeals/batch", {"appeals": json.dumps(items), **files})


def test_a_batch_registers_every_appeal_numbered_in_order_with_its_own_files(api, p):
    items = [
        item(p, 0, involved_persons=[str(p.panel[3].public_id)], attachments=["foto-0"]),
        item(p, 1, organization="", new_organization_name="CV Kemasan Jaya"),
        item(p, 2, organization=None, new_organization_name="CV Kemasan Jaya"),
    ]
    files = {f"surat-{i}": pdf(f"surat-{i}.pdf", letter(f"surat-{i}")) for i in range(3)}
    files["foto-0"] = pdf("lampiran.pdf", letter("lampiran"))
    r = send(api, p.staff, items, files)
    assert r.status_code == 201, r.json()
    body = r.json()

    assert body["count"] == 3
    appeals = [Appeal.objects.get(public_id=row["id"]) for row in body["items"]]
    assert [a.complaint_reference for a in appeals] == [f"KEL/BATCH/{i}" for i in range(3)]
    assert [a.sequence for a in appeals] == list(
        range(appeals[0].sequence, appeals[0].sequence + 3)
    )
    assert [row["number"] for row in body["items"]] == [a.number for a in appeals]
    assert all(a.current_step == 3 and a.created_by == p.staff for a in appeals)
    # Each appeal's letter is the file sent for it, found by its content.
    for i, appeal in enumerate(appeals):
        stored = appeal.documents.get(kind="appeal_letter")
        assert stored.sha256 == hashlib.sha256(letter(f"surat-{i}")).hexdigest()
    assert [d.original_name for d in appeals[0].documents.filter(kind="supporting")] == [
        "lampiran.pdf"
    ]
    assert list(appeals[0].involved_persons.all()) == [p.panel[3]]
    assert not appeals[1].documents.filter(kind="supporting").exists()
    # The new organisation named twice is created once.
    assert CustomerOrganization.objects.filter(name="CV Kemasan Jaya").count() == 1
    assert appeals[1].organization_id == appeals[2].organization_id
    # Steps 1-2 done, 3 open; each appeal's own audit chain from the genesis.
    for appeal in appeals:
        assert [
            (s.number, s.completed_at is not None) for s in appeal.steps.order_by("number")
        ] == [
            (1, True),
            (2, True),
            (3, False),
        ]
        events = list(Event.objects.filter(appeal=appeal).order_by("id"))
        assert events[0].action == "appeal.registered" and events[0].prev_hash == GENESIS
        assert ChainHead.objects.get(chain=appeal.pk).last_event_id == events[-1].pk


def test_a_batch_tells_each_appeals_people_as_a_single_intake_does(api, p):
    items = [item(p, i) for i in range(2)]
    r = send(api, p.staff, items)
    assert r.status_code == 201, r.json()
    for row in r.json()["items"]:
        appeal = Appeal.objects.get(public_id=row["id"])
        step3 = appeal.steps.get(number=3)
        assigned = Notification.objects.filter(appeal=appeal, kind=Kind.STEP_ASSIGNED)
        assert {n.step_id for n in assigned} == {step3.pk}
        assert p.lead.pk in {n.recipient_id for n in assigned}
        assert Notification.objects.filter(appeal=appeal, kind=Kind.MILESTONE).exists()
        # The contact address, which no account has, gets the customer's mail too.
        assert Mail.objects.filter(appeal=appeal, to_address=appeal.contact_email).exists()


def test_a_batch_costs_the_same_queries_however_many_appeals(api, p):
    def queries(count: int) -> int:
        caller = api(p.staff)
        # The same complaints each round: confirmed as new appeals past the warning.
        items = [item(p, i, attachments=[f"lampiran-{i}"], confirm_new=True) for i in range(count)]
        files = {f"surat-{i}": pdf(f"s{i}.pdf") for i in range(count)}
        files.update({f"lampiran-{i}": pdf(f"l{i}.pdf") for i in range(count)})
        body = {"appeals": json.dumps(items), **files}
        with CaptureQueriesContext(connection) as captured:
            r = caller.client.post("/api/v1/appeals/batch", body, **caller._headers())
        assert r.status_code == 201, r.json()
        return len(captured)

    send(api, p.staff, [item(p, 0)])  # the first reads the calendar of the year
    make_user("kontak_x", organization=p.org, email="x@kimia.example")
    assert queries(1) == queries(5) == queries(12)


def test_one_faulty_appeal_refuses_the_whole_batch_naming_each_fault(api, p):
    before = capture()
    items = [
        item(p, 0),
        item(p, 1, grounds=" "),
        item(p, 2, service_type="up_kalibrasi"),
        item(p, 3, received_at="kemarin"),
    ]
    r = send(api, p.staff, items)
    assert r.status_code == 400
    # The list is read first: a value of the wrong type is named before anything is checked.
    (message,) = r.json()["fields"].pop("appeals.3.received_at")
    assert "ISO 8601" in message and r.json()["fields"] == {}

    r = send(api, p.staff, items[:3])
    assert r.status_code == 400
    body = r.json()
    assert body["message"] == "2 dari 3 banding tidak dapat dicatat; tidak satu pun dicatat."
    assert body["fields"] == {
        "appeals.1.grounds": ["Alasan banding wajib diisi."],
        "appeals.2.service_type": [CALIBRATION_PT_EXCEPTION],
    }
    assert capture() == before  # no appeal, number, event or file


def test_an_upload_that_is_not_accepted_is_named_by_its_appeal(api, p):
    before = capture()
    items = [item(p, 0), item(p, 1)]
    files = {"surat-0": pdf("surat-0.pdf"), "surat-1": pdf("surat-1.pdf", b"bukan pdf")}
    r = send(api, p.staff, items, files)
    assert r.status_code == 400
    (message,) = r.json()["fields"]["appeals.1"]
    assert "surat-1.pdf" in message
    assert capture() == before


def test_file_parts_must_match_the_list(api, p):
    items = [item(p, 0, attachments=["surat-0"]), item(p, 1, letter="hilang")]
    files = {"surat-0": pdf(), "lebih": pdf("lebih.pdf")}
    r = send(api, p.staff, items, files)
    assert r.status_code == 400
    assert r.json()["fields"] == {
        "appeals.0.attachments": ["Bagian berkas 'surat-0' sudah disebut oleh appeals.0."],
        "appeals.1.letter": ["Bagian berkas 'hilang' tidak ada dalam permintaan."],
        "files": ["Bagian berkas tidak disebut oleh banding mana pun: lebih."],
    }
    r = send(api, p.staff, [item(p, 0, letter="")], {})
    assert r.json()["fields"] == {"appeals.0.letter": ["Surat permohonan banding wajib diunggah."]}


def test_unknown_organisations_and_people_are_named_by_their_appeal(api, p):
    ghost = "00000000-0000-0000-0000-000000000001"
    items = [item(p, 0), item(p, 1, organization=ghost, involved_persons=[ghost])]
    r = send(api, p.staff, items)
    assert r.status_code == 400
    assert r.json()["code"] == "unknown_reference"
    assert r.json()["fields"] == {
        "appeals.1.organization": [f"Organisasi pelanggan tidak dikenal: {ghost}."]
    }


def test_the_list_must_be_json_and_hold_one_to_the_most_appeals(api, p):
    r = api(p.staff).upload("/appeals/batch", {"appeals": "[{", "surat-0": pdf()})
    assert r.status_code == 400
    assert r.json()["fields"] == {"appeals": ["Isi permintaan bukan JSON yang valid."]}

    r = send(api, p.staff, [], {})
    assert r.status_code == 400
    assert r.json()["fields"]["appeals"] == [
        f"Kirim 1 sampai {INTAKE_BATCH_MAX} banding sekaligus (terkirim 0)."
    ]
    many = [item(p, i) for i in range(INTAKE_BATCH_MAX + 1)]
    r = send(api, p.staff, many)
    assert r.status_code == 400
    assert r.json()["fields"]["appeals"] == [
        f"Kirim 1 sampai {INTAKE_BATCH_MAX} banding sekaligus (terkirim {INTAKE_BATCH_MAX + 1})."
    ]
    assert Appeal.objects.count() == 0


def test_more_files_than_a_request_may_carry_get_a_json_answer(api, p):
    items = [item(p, 0, attachments=[f"l{i}" for i in range(100)])]
    files = {"surat-0": pdf(), **{f"l{i}": pdf(f"l{i}.pdf") for i in range(100)}}
    r = send(api, p.staff, items, files)
    assert r.status_code == 400
    assert r.json()["code"] == "request_too_large"


def test_only_the_staff_who_register_may_send_a_batch(api, p):
    customer = make_user("pelanggan_batch", organization=p.org)
    before = capture()
    r = send(api, customer, [item(p, 0)])
    assert r.status_code == 403
    assert r.json()["code"] == "not_your_role"
    head = make_user("kepala_batch", Role.HEAD)
    assert send(api, head, [item(p, 0)]).status_code == 403
    assert api().upload("/appeals/batch", {"appeals": "[]"}).status_code == 401
    assert capture() == before
