"""The evidence pack: ZIP contents and manifest, who may download it, the command."""

import hashlib
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from banding.appeals import services
from banding.audit.chain import hash_of
from banding.audit.models import Event
from banding.audit.verify import verify_log
from tests.factories import pdf, register, walk
from tests.letters.conftest import issued, rejected_at4


def pack_url(appeal) -> str:
    return reverse("appeals:evidence_pack", args=[appeal.public_id])


def download(client, user, appeal):
    client.force_login(user)
    return client.get(pack_url(appeal))


def open_pack(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_manifest_lists_every_file_with_its_true_size_and_hash(client, p, closed_appeal):
    pack = open_pack(download(client, p.auditor, closed_appeal))
    manifest = json.loads(pack.read("manifest.json"))
    assert manifest["appeal"] == closed_appeal.number
    assert manifest["generator"] == "SiBanding"
    assert manifest["generated_by"] == p.auditor.username
    listed = {f["name"]: f for f in manifest["files"]}
    assert set(listed) == set(pack.namelist()) - {"manifest.json"}
    for name, entry in listed.items():
        content = pack.read(name)
        assert (entry["size"], entry["sha256"]) == (
            len(content),
            hashlib.sha256(content).hexdigest(),
        ), name


def test_the_pack_holds_every_document_byte_for_byte(client, p):
    appeal = walk(p, register(p), 9)
    services.document_add(
        appeal=appeal,
        user=p.staff,
        upload=pdf("bukti.pdf", b"%PDF-1.4\nbukti\n%%EOF\n"),
        kind="other",
    )
    pack = open_pack(download(client, p.staff, appeal))
    documents = [n for n in pack.namelist() if n.startswith("dokumen/")]
    assert len(documents) == appeal.documents.count() == 3
    stored = sorted(d.file.read() for d in appeal.documents.all())
    assert sorted(pack.read(n) for n in documents) == stored
    assert any(n.endswith("-bukti.pdf") for n in documents)


def test_the_timeline_pdf_carries_the_appeal_number_and_its_steps(client, p, closed_appeal):
    pack = open_pack(download(client, p.head, closed_appeal))
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pack.read("timeline.pdf"))).pages
    )
    assert f"Kronologi berkas banding {closed_appeal.number}" in text
    assert "Langkah SOP" in text
    assert "Lemari L-01 / boks B-2026 / map M-001" in text


def test_the_pack_carries_the_appeals_chain_of_events(client, p, closed_appeal):
    events = list(Event.objects.filter(appeal=closed_appeal).order_by("id"))
    pack = open_pack(download(client, p.lead, closed_appeal))
    chain = json.loads(pack.read("rantai-peristiwa.json"))
    assert [(e["id"], e["hash"], e["prev_hash"]) for e in chain["events"]] == [
        (e.pk, e.hash, e.prev_hash) for e in events
    ]
    # The exported rows hash as stored: the chain can be checked from the pack alone (its
    # MACs with the log's key, key_id).
    first = Event(
        **{
            k: v
            for k, v in chain["events"][0].items()
            if k in {"action", "step", "summary", "data", "public", "prev_hash", "key_id"}
        }
    )
    first.appeal_id, first.actor_id = chain["events"][0]["appeal"], chain["events"][0]["actor"]
    first.created_at = events[0].created_at
    assert hash_of(first) == events[0].hash


def test_each_export_is_an_event_on_the_appeal_and_keeps_the_chain(client, p, closed_appeal):
    download(client, p.auditor, closed_appeal)
    event = Event.objects.filter(appeal=closed_appeal).latest("id")
    assert (event.action, event.actor) == ("case.exported", p.auditor)
    assert event.summary.startswith(f"Paket bukti berkas banding {closed_appeal.number} diunduh")
    assert verify_log().ok


@pytest.mark.parametrize("who", ["auditor", "head", "staff", "lead"])
def test_auditors_head_and_pjtk_may_download(client, p, closed_appeal, who):
    response = download(client, getattr(p, who), closed_appeal)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("who", ["tech", "customer"])
def test_technical_users_and_customers_are_refused(client, p, closed_appeal, who):
    exported = Event.objects.filter(action="case.exported").count()
    response = download(client, getattr(p, who), closed_appeal)
    assert response.status_code == 403
    assert Event.objects.filter(action="case.exported").count() == exported


def test_technical_user_is_told_who_may_download(client, p, closed_appeal):
    response = download(client, p.tech, closed_appeal)
    assert (
        "Paket bukti hanya dapat diunduh auditor, Kepala Balai, dan staff serta Ketua Tim PJTK."
        in response.content.decode()
    )


def test_the_button_is_shown_to_who_may_download_only(client, p, closed_appeal):
    page = reverse("appeals:detail", args=[closed_appeal.public_id])
    client.force_login(p.auditor)
    assert pack_url(closed_appeal) in client.get(page).content.decode()
    client.force_login(p.tech)
    response = client.get(page)
    assert response.status_code == 200
    assert pack_url(closed_appeal) not in response.content.decode()


def test_the_command_writes_the_pack(p, closed_appeal, tmp_path):
    target = tmp_path / "paket.zip"
    out = StringIO()
    call_command("export_case", closed_appeal.number, "--output", str(target), stdout=out)
    assert out.getvalue() == f"Paket bukti banding {closed_appeal.number} ditulis ke {target}.\n"
    pack = zipfile.ZipFile(target)
    assert "timeline.pdf" in pack.namelist()
    assert json.loads(pack.read("manifest.json"))["generator"] == "SiBanding banding export-case"
    event = Event.objects.filter(appeal=closed_appeal).latest("id")
    assert (event.action, event.actor) == ("case.exported", None)


def test_the_command_names_an_unknown_number(db):
    with pytest.raises(CommandError) as failure:
        call_command("export_case", "BDG/2026/9999")
    assert str(failure.value) == "Banding dengan nomor register 'BDG/2026/9999' tidak ditemukan."


def test_issued_letters_join_the_pack_as_stored(client, p):
    letter = issued(rejected_at4(p), "penolakan", p.staff, p.head)
    pack = open_pack(download(client, p.auditor, letter.appeal))
    [name] = [n for n in pack.namelist() if n.startswith("surat/")]
    with letter.pdf.open("rb") as f:
        assert pack.read(name) == f.read()
    manifest = json.loads(pack.read("manifest.json"))
    assert {
        "name": name,
        "size": letter.pdf.size,
        "sha256": letter.sha256,
        "recorded_sha256": letter.sha256,
    } in manifest["files"]


def test_a_withdrawn_letter_stays_in_the_pack_named_so(client, p):
    from banding.letters import services as letters

    appeal = rejected_at4(p)
    first = issued(appeal, "penolakan", p.staff, p.head)
    letters.letter_withdraw(letter=first, user=p.head, reason="Alamat keliru.")
    second = issued(appeal, "penolakan", p.staff, p.head)

    pack = open_pack(download(client, p.auditor, appeal))

    names = sorted(n for n in pack.namelist() if n.startswith("surat/"))
    first_name = first.number.replace("/", "") + "-v1-dicabut.pdf"
    assert any(n.endswith(first_name) for n in names), names
    assert any(n.endswith(second.number.replace("/", "") + "-v1.pdf") for n in names), names


def test_the_pack_holds_the_trust_root_the_letters_signatures_chain_to(client, p, settings):
    from banding.letters.signing.verification import check_signature

    letter = issued(rejected_at4(p), "penolakan", p.staff, p.head)
    pack = open_pack(download(client, p.auditor, letter.appeal))
    root = pack.read("akar-kepercayaan-tanda-tangan.pem")
    assert root == settings.BANDING_SIGNING["TRUST_ROOTS"].read_bytes()
    manifest = json.loads(pack.read("manifest.json"))
    assert "akar-kepercayaan-tanda-tangan.pem" in [f["name"] for f in manifest["files"]]
    # The letter in the pack validates against the root in the pack, wherever it is opened.
    elsewhere = settings.BANDING_SIGNING["DIR"].parent / "dari-paket.pem"
    elsewhere.write_bytes(root)
    settings.BANDING_SIGNING = {**settings.BANDING_SIGNING, "TRUST_ROOTS": elsewhere}
    [name] = [n for n in pack.namelist() if n.startswith("surat/")]
    assert check_signature(pack.read(name)).ok


def test_a_pack_without_letters_has_no_trust_root(client, p):
    pack = open_pack(download(client, p.auditor, register(p)))
    assert "akar-kepercayaan-tanda-tangan.pem" not in pack.namelist()
