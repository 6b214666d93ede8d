"""The complete evidence pack of a closed appeal that went through every step (invitation and
survey included): a readable PDF per record, the letters as issued, the customer's notices and
e-mails, who made it, the chain with its verification, and `banding verify-pack` offline."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from banding.appeals import invitations, services
from banding.appeals.models import Appeal
from banding.archive.export import export_case
from banding.archive.verify import verify_pack
from banding.audit.models import Event
from banding.survey.elements import CODES
from banding.survey.services import survey_answer
from tests.factories import Personas, register, walk

RECORDS = [
    "rekaman/01-penerimaan.pdf",
    "rekaman/03-verifikasi-relevansi.pdf",
    "rekaman/05-06-panel-dan-pernyataan.pdf",
    "rekaman/07-undangan-dan-jawaban.pdf",
    "rekaman/09-rapat-panel.pdf",
    "rekaman/10-12-keputusan-dan-penyampaian.pdf",
    "rekaman/13-survei-kepuasan.pdf",
    "rekaman/14-pemberitahuan-dan-surel.pdf",
]
LETTER_KINDS = ("ND", "KP.02", "KP.01", "DH", "NOT", "OT.01", "HM.04")


def complete(p: Personas) -> Appeal:
    """Every step, a written explanation asked and given, closed, the survey answered."""
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[1])
    invitation = invitations.invitation_send(
        appeal=appeal,
        user=p.panel[1],
        mode="written",
        respond_by=timezone.now() + timedelta(days=5),
        message="Mohon penjelasan tertulis atas data laboratorium Anda.",
    )
    invitations.invitation_answer(
        invitation=invitation,
        user=p.customer,
        response="written",
        note="Data laboratorium kami menunjukkan kadar air 4,1%.",
    )
    appeal = walk(p, appeal, 13)
    survey_answer(
        appeal=appeal, user=p.customer, scores=dict.fromkeys(CODES, 4), comment="Pelayanan baik."
    )
    return appeal


@pytest.fixture
def appeal(p) -> Appeal:
    return complete(p)


def build(appeal: Appeal, target: Path, **options) -> Path:
    with export_case(appeal, **options) as pack:
        target.write_bytes(pack.read())
    return target


@pytest.fixture
def pack_path(p, appeal, tmp_path) -> Path:
    return build(appeal, tmp_path / "paket.zip", user=p.auditor)


def text_of(pack: zipfile.ZipFile, name: str) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.read(name))).pages)


def rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of the pack with files replaced (bytes), removed (None) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            if name in change:
                if change[name] is not None:
                    new.writestr(name, change[name])
            else:
                new.writestr(name, old.read(name))
        for name, content in change.items():
            if name not in old.namelist() and content is not None:
                new.writestr(name, content)
    return target


def test_the_pack_holds_every_record(p, appeal, pack_path):
    pack = zipfile.ZipFile(pack_path)
    names = pack.namelist()
    assert set(RECORDS) <= set(names)
    letters = [n for n in names if n.startswith("surat/")]
    assert all(any(kind in n for n in letters) for kind in LETTER_KINDS), letters
    assert [n for n in names if n.startswith("dokumen/")]  # appeal letter, investigation report
    assert {"timeline.pdf", "rantai-peristiwa.json", "manifest.json"} <= set(names)

    receipt = text_of(pack, RECORDS[0])
    assert "KEL/2026/017" in receipt and appeal.number in receipt
    verification = text_of(pack, RECORDS[1])
    assert "Surat permohonan banding" in verification and "Relevan" in verification
    panel = text_of(pack, RECORDS[2])
    assert "Pernyataan bebas benturan kepentingan" in panel
    assert "Panel 2" in panel and "Belum menyatakan" in panel  # Panel 3 never declared
    invitation = text_of(pack, RECORDS[3])
    assert "kadar air 4,1%" in invitation and "Penjelasan tertulis dikirim" in invitation
    meeting = text_of(pack, RECORDS[4])
    assert "Panel membahas hasil investigasi." in meeting and "Ruang Rapat 1" in meeting
    assert "Hadir" in meeting and "Diterima sebagian" in meeting
    decision = text_of(pack, RECORDS[5])
    assert "Tindak lanjuti." in decision and "Sampaikan kepada pelanggan." in decision
    assert "Lemari L-01" in decision
    assert "Pelayanan baik." in text_of(pack, RECORDS[6])
    sent = text_of(pack, RECORDS[7])
    assert "Notifikasi portal" in sent and "Surel" in sent and "budi@kimia.example" in sent
    assert "Permohonan banding Anda telah kami terima." in sent
    assert "Giliran Anda" not in sent  # the staff's own notices are not the customer's


def test_the_manifest_names_who_made_it_and_when(p, pack_path):
    manifest = json.loads(zipfile.ZipFile(pack_path).read("manifest.json"))
    assert manifest["generated_by"] == p.auditor.username
    assert manifest["generated_by_name"] == p.auditor.display_name
    assert manifest["generated_at"]
    assert manifest["altered_since_recorded"] == []
    stored = [f for f in manifest["files"] if f["name"].startswith(("surat/", "dokumen/"))]
    assert stored and all(f["recorded_sha256"] == f["sha256"] for f in stored)


def test_the_chain_carries_its_head_and_verification(appeal, pack_path):
    chain = json.loads(zipfile.ZipFile(pack_path).read("rantai-peristiwa.json"))
    events = list(Event.objects.filter(appeal=appeal).order_by("id"))[:-1]  # not the export
    assert [e["hash"] for e in chain["events"]] == [e.hash for e in events]
    assert chain["head"] == {
        "last_hash": events[-1].hash,
        "last_event_id": events[-1].pk,
        "count": len(events),
    }
    assert chain["verification"]["ok"] is True
    assert chain["verification"]["count"] == len(events)


def test_verify_pack_passes_on_an_untouched_pack(pack_path):
    out = StringIO()
    call_command("verify_pack", str(pack_path), stdout=out)
    result = verify_pack(pack_path)
    assert result.ok and result.checked == 20 and result.events > 30  # 2 documents, 7 letters,
    # the trust root of their signatures, 8 records, the timeline and the chain
    assert out.getvalue().startswith(f"Paket bukti utuh: {result.checked} berkas cocok")


@pytest.mark.parametrize("index", range(len(RECORDS)))
def test_altering_a_record_fails_naming_it(pack_path, tmp_path, index):
    name = RECORDS[index]
    altered = rewrite(pack_path, tmp_path / "ubah.zip", {name: b"%PDF-1.4 palsu"})
    with pytest.raises(CommandError) as failure:
        call_command("verify_pack", str(altered))
    assert f"{name}: SHA-256 atau ukuran tidak cocok dengan manifest" in str(failure.value)


@pytest.mark.parametrize("prefix", ["surat/", "dokumen/", "timeline.pdf", "rantai-peristiwa"])
def test_altering_any_other_file_fails_naming_it(pack_path, tmp_path, prefix):
    pack = zipfile.ZipFile(pack_path)
    name = next(n for n in pack.namelist() if n.startswith(prefix))
    content = pack.read(name)
    altered = rewrite(pack_path, tmp_path / "ubah.zip", {name: content[:-1] + b" "})
    problems = verify_pack(altered).problems
    assert f"{name}: SHA-256 atau ukuran tidak cocok dengan manifest" in problems


def test_an_event_altered_in_the_chain_fails_even_with_the_manifest_rehashed(pack_path, tmp_path):
    import hashlib

    pack = zipfile.ZipFile(pack_path)
    chain = json.loads(pack.read("rantai-peristiwa.json"))
    target = chain["events"][3]
    target["summary"] = "Diubah setelah diekspor"
    forged = json.dumps(chain).encode()
    manifest = json.loads(pack.read("manifest.json"))
    for entry in manifest["files"]:
        if entry["name"] == "rantai-peristiwa.json":
            entry.update(size=len(forged), sha256=hashlib.sha256(forged).hexdigest())
    altered = rewrite(
        pack_path,
        tmp_path / "ubah.zip",
        {"rantai-peristiwa.json": forged, "manifest.json": json.dumps(manifest).encode()},
    )
    with pytest.raises(CommandError) as failure:
        call_command("verify_pack", str(altered))
    message = str(failure.value)
    assert "rantai-peristiwa.json: peristiwa #" in message
    assert f"#{target['id']} " in message and "isi peristiwa telah diubah" in message


def test_a_file_removed_or_slipped_in_is_named(pack_path, tmp_path):
    altered = rewrite(
        pack_path,
        tmp_path / "ubah.zip",
        {RECORDS[1]: None, "dokumen/99-tambahan.pdf": b"%PDF-1.4 tambahan"},
    )
    problems = verify_pack(altered).problems
    assert f"{RECORDS[1]}: tercantum dalam manifest tetapi tidak ada" in problems
    assert "dokumen/99-tambahan.pdf: tidak tercantum dalam manifest" in problems


def test_a_stored_letter_changed_since_issue_is_flagged(p, appeal, tmp_path):
    letter = appeal.letters.get(kind="notulen")
    with letter.pdf.open("wb") as f:
        f.write(b"%PDF-1.4 diganti di penyimpanan")
    path = build(appeal, tmp_path / "paket.zip", user=p.head)
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    [name] = manifest["altered_since_recorded"]
    assert name.startswith("surat/09-")
    assert f"{name}: isi berbeda dari SHA-256 yang dicatat saat diunggah/diterbitkan" in (
        verify_pack(path).problems
    )


def test_a_file_that_is_no_zip_is_refused(tmp_path):
    bad = tmp_path / "bukan.zip"
    bad.write_bytes(b"bukan zip")
    with pytest.raises(CommandError) as failure:
        call_command("verify_pack", str(bad))
    assert "bukan berkas ZIP yang dapat dibaca" in str(failure.value)


def test_the_command_records_the_user_given_by(p, appeal, tmp_path):
    target = tmp_path / "paket.zip"
    call_command(
        "export_case", appeal.number, "--output", str(target), "--by", "auditor", stdout=StringIO()
    )
    manifest = json.loads(zipfile.ZipFile(target).read("manifest.json"))
    assert manifest["generated_by"] == "auditor"
    event = Event.objects.filter(appeal=appeal).latest("id")
    assert (event.action, event.actor) == ("case.exported", p.auditor)


def test_the_command_without_by_names_the_system_account(appeal, tmp_path):
    target = tmp_path / "paket.zip"
    call_command("export_case", appeal.number, "--output", str(target), stdout=StringIO())
    manifest = json.loads(zipfile.ZipFile(target).read("manifest.json"))
    assert manifest["generated_by"].endswith("(akun sistem)")


@pytest.mark.parametrize(
    ("by", "message"),
    [
        ("tidak_ada", "Pengguna aktif 'tidak_ada' tidak ditemukan."),
        ("teknis_a", "Paket bukti hanya dapat diunduh auditor"),
    ],
)
def test_the_command_refuses_a_by_who_may_not_export(p, appeal, tmp_path, by, message):
    exported = Event.objects.filter(action="case.exported").count()
    target = tmp_path / "paket.zip"
    with pytest.raises(CommandError) as failure:
        call_command("export_case", appeal.number, "--output", str(target), "--by", by)
    assert str(failure.value).startswith(message)
    assert not target.exists()
    assert Event.objects.filter(action="case.exported").count() == exported


def test_what_the_customer_was_sent_is_read_in_two_queries(appeal, django_assert_num_queries):
    from banding.notifications.selectors import sent_to_customer

    with django_assert_num_queries(2):  # notices, then e-mails: however many there are
        sent = sent_to_customer(appeal)
    assert len(sent) == 16  # seven milestones and the invitation, each a notice and an e-mail
    assert [s.at for s in sent] == sorted(s.at for s in sent)


def test_a_rejected_appeal_has_the_records_it_reached_only(p, tmp_path):
    from tests.archive.conftest import rejected

    path = build(rejected(p), tmp_path / "paket.zip", user=p.auditor)
    records = sorted(n for n in zipfile.ZipFile(path).namelist() if n.startswith("rekaman/"))
    assert records == [
        "rekaman/01-penerimaan.pdf",
        "rekaman/03-verifikasi-relevansi.pdf",
        "rekaman/10-12-keputusan-dan-penyampaian.pdf",
        "rekaman/14-pemberitahuan-dan-surel.pdf",
    ]
    text = text_of(zipfile.ZipFile(path), "rekaman/03-verifikasi-relevansi.pdf")
    assert "Tidak relevan" in text and "Bukan keberatan atas hasil penanganan keluhan." in text
    assert "Penyampaian kepada pelanggan (langkah 4)" in text_of(
        zipfile.ZipFile(path), "rekaman/10-12-keputusan-dan-penyampaian.pdf"
    )
    assert verify_pack(path).ok


def test_verify_pack_without_the_logs_key_checks_the_links_and_says_so(
    pack_path, settings, tmp_path
):
    settings.BANDING_AUDIT_KEY = ""  # an auditor's machine: no MAC key of the log
    settings.BANDING_AUDIT_KEY_FILE = tmp_path / "tidak-ada.keys"
    out = StringIO()
    call_command("verify_pack", str(pack_path), stdout=out)
    assert "MAC peristiwa tidak diperiksa: kunci log audit tidak ada di sini" in out.getvalue()
    assert verify_pack(pack_path).macs_checked is False
