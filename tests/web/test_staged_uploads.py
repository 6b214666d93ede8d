"""Files chosen on a refused form are kept for their owner (banding.appeals.staging) and
listed on the form shown again; sent again by reference, they reach the service as uploads.
Checked like every upload, owner only, swept after 24 hours."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage

from banding.appeals import staging
from banding.appeals.forms.base import DROP, KEPT
from banding.appeals.models import Appeal, Document, StagedUpload
from banding.errors import Invalid
from banding.platform.management.commands import worker
from tests.factories import PNG_BYTES, pdf, register
from tests.state import staged_files, stored_files
from tests.web.helpers import action_url
from tests.web.test_intake import URL as INTAKE
from tests.web.test_intake import data as intake_data

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def refs(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}{KEPT}" value="([0-9a-f-]+)"', html)


# --- the staging module ------------------------------------------------------------------


def test_a_staged_file_is_checked_and_kept_for_its_owner(p):
    staged = staging.stage(owner=p.staff, upload=pdf("surat.pdf"))
    assert (staged.original_name, staged.content_type, staged.owner) == (
        "surat.pdf",
        "application/pdf",
        p.staff,
    )
    assert staged.size == len(pdf().read())
    assert staged_files() == {staged.file.name}
    assert staging.owned(owner=p.staff, references=[str(staged.public_id)]) == [staged]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("kosong.pdf", b""), "Berkas kosong.pdf kosong."),
        (pdf("teks.pdf", b"bukan dokumen"), "Berkas teks.pdf tidak dapat diterima"),
    ],
)
def test_a_file_the_upload_checks_refuse_is_not_kept(p, upload, message):
    with pytest.raises(Invalid) as info:
        staging.stage(owner=p.staff, upload=upload)
    assert message in info.value.message
    assert not StagedUpload.objects.exists()
    assert staged_files() == frozenset()


def test_a_file_over_the_size_limit_is_not_kept(p, settings):
    settings.BANDING_UPLOAD_MAX_BYTES = 16
    with pytest.raises(Invalid) as info:
        staging.stage(owner=p.staff, upload=pdf("besar.pdf", PNG_BYTES))
    assert info.value.code == "upload_too_large"
    assert not StagedUpload.objects.exists()


def test_another_users_staged_file_is_refused_like_a_missing_one(p):
    staged = staging.stage(owner=p.staff, upload=pdf())
    for references in ([str(staged.public_id)], ["bukan-uuid"]):
        with pytest.raises(Invalid) as info:
            staging.owned(owner=p.customer, references=references)
        assert info.value.code == "staged_missing"
    assert staging.discard(owner=p.customer, references=[str(staged.public_id)]) == 0
    assert StagedUpload.objects.filter(pk=staged.pk).exists()


def test_a_staged_file_expires_after_24_hours_and_the_worker_sweeps_it(p):
    old = staging.stage(owner=p.staff, upload=pdf("lama.pdf"))
    with time_machine.travel(NOW + timedelta(hours=23), tick=False):
        new = staging.stage(owner=p.staff, upload=pdf("baru.pdf"))
    with time_machine.travel(NOW + timedelta(hours=24, minutes=1), tick=False):
        with pytest.raises(Invalid):
            staging.owned(owner=p.staff, references=[str(old.public_id)])
        assert staging.owned(owner=p.staff, references=[str(new.public_id)]) == [new]
        (job,) = [job for job in worker.JOBS if job.name == "berkas sementara"]
        assert job.run() == "1 berkas sementara lama dihapus"
    assert list(StagedUpload.objects.all()) == [new]
    assert staged_files() == {new.file.name}
    assert not default_storage.exists(old.file.name)


# --- the staff intake form ---------------------------------------------------------------


def test_the_intake_form_shown_again_keeps_its_files_and_saves_them_by_reference(client, p):
    client.force_login(p.staff)
    files = [pdf("lampiran-1.pdf"), pdf("lampiran-2.pdf")]
    response = client.post(INTAKE, intake_data(p, grounds="", attachments=files))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Berkas yang sudah dipilih" in html
    assert "lampiran-1.pdf" in html and "surat-banding.pdf" in html
    letter, attachments = refs(html, "letter"), refs(html, "attachments")
    assert (len(letter), len(attachments)) == (1, 2)
    # A failed save leaves nothing but the error (and the files kept for the form).
    assert not Appeal.objects.exists() and not Document.objects.exists()
    assert stored_files() == frozenset()
    assert len(staged_files()) == 3
    # The letter input is not required in the browser while a letter is kept.
    assert not re.search(r'<input type="file" name="letter"[^>]* required', html)

    again = intake_data(p, letter=None)
    again.pop("letter")
    again |= {f"letter{KEPT}": letter, f"attachments{KEPT}": attachments}
    response = client.post(INTAKE, again)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    names = sorted(d.original_name for d in appeal.documents.all())
    assert names == ["lampiran-1.pdf", "lampiran-2.pdf", "surat-banding.pdf"]
    assert not StagedUpload.objects.exists()
    assert staged_files() == frozenset()


def test_a_new_file_is_added_to_the_kept_ones_and_a_removed_one_is_dropped(client, p):
    client.force_login(p.staff)
    response = client.post(INTAKE, intake_data(p, grounds="", attachments=[pdf("a.pdf")]))
    kept = refs(response.content.decode(), "attachments")
    response = client.post(
        INTAKE,
        intake_data(p, grounds="", attachments=[pdf("b.pdf")])
        | {f"attachments{KEPT}": kept, f"attachments{DROP}": kept},
    )
    html = response.content.decode()
    assert "b.pdf" in html and "a.pdf" not in html
    assert len(refs(html, "attachments")) == 1


def test_a_reference_to_another_users_file_is_refused_and_nothing_is_written(client, p):
    theirs = staging.stage(owner=p.customer, upload=pdf("milik-pelanggan.pdf"))
    client.force_login(p.staff)
    form = intake_data(p)
    form.pop("letter")
    response = client.post(INTAKE, form | {f"letter{KEPT}": [str(theirs.public_id)]})
    assert response.status_code == 400
    errors = response.context["form"].errors["letter"]
    assert any("Berkas yang sudah dipilih sebelumnya tidak ditemukan lagi" in e for e in errors)
    assert "milik-pelanggan.pdf" not in response.content.decode()
    assert not Appeal.objects.exists()
    assert StagedUpload.objects.get().owner == p.customer  # untouched


def test_a_bad_file_is_not_kept_and_says_why_on_its_field(client, p):
    client.force_login(p.staff)
    response = client.post(
        INTAKE, intake_data(p, grounds="", attachments=[pdf("teks.pdf", b"bukan dokumen")])
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["attachments"]
    assert errors == [
        "Berkas teks.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX."
    ]
    assert refs(response.content.decode(), "attachments") == []
    assert len(refs(response.content.decode(), "letter")) == 1


# --- a step form and the portal ------------------------------------------------------------


def test_a_step_form_keeps_its_file_when_a_field_is_missing(client, p):
    appeal = register(p)
    client.force_login(p.staff)
    url = action_url(appeal, "dokumen")
    response = client.post(url, {"upload": pdf("notulen.pdf")})
    assert response.status_code == 400
    html = response.content.decode()
    kept = refs(html, "upload")
    assert len(kept) == 1 and "notulen.pdf" in html
    # The document form comes back open (it is folded on a fresh page).
    assert re.search(r"<details[^>]*open>\s*<summary>Tambah dokumen", html)
    assert not appeal.documents.filter(original_name="notulen.pdf").exists()

    response = client.post(url, {"kind": "other", f"upload{KEPT}": kept})
    assert response.status_code == 302
    doc = appeal.documents.get(original_name="notulen.pdf")
    assert (doc.kind, doc.uploaded_by) == ("other", p.staff)
    assert not StagedUpload.objects.exists()


def test_a_step_form_refuses_a_reference_of_another_user(client, p):
    appeal = register(p)
    theirs = staging.stage(owner=p.lead, upload=pdf("milik-ketua.pdf"))
    client.force_login(p.staff)
    response = client.post(
        action_url(appeal, "dokumen"), {"kind": "other", f"upload{KEPT}": [str(theirs.public_id)]}
    )
    assert response.status_code == 400
    assert not appeal.documents.filter(original_name="milik-ketua.pdf").exists()
    assert StagedUpload.objects.get().owner == p.lead


def test_the_portal_submission_keeps_its_files_for_the_customer(client, p):
    from tests.portal.test_home_and_submit import SUBMIT, form_data

    client.force_login(p.customer)
    response = client.post(SUBMIT, form_data(grounds="", attachments=[pdf("bukti.pdf")]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Berkas yang sudah dipilih" in html and "bukti.pdf" in html
    again = form_data(letter=None) | {
        f"letter{KEPT}": refs(html, "letter"),
        f"attachments{KEPT}": refs(html, "attachments"),
    }
    response = client.post(SUBMIT, again)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert sorted(d.original_name for d in appeal.documents.all()) == [
        "bukti.pdf",
        "surat-banding.pdf",
    ]
    assert not StagedUpload.objects.exists()
