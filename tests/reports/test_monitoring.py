"""The SOP monitoring form (Permenpan-RB 35/2012): prefill, save, finalise, the page, the
PDF and the XLSX, on the hand-computed history of test_stats."""

from __future__ import annotations

from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.reports.models import Assessment, FormStatus, MonitoringForm
from banding.reports.monitoring import (
    NOT_EVALUATOR,
    REFUSAL,
    figures_note,
    monitoring_finalise,
    monitoring_save,
    monitoring_sheet,
)
from banding.workdays.periods import Period
from tests.factories import register
from tests.reports.test_stats import SEMESTER, at, build_history

URL = reverse("reports:monitoring")
SAVE = reverse("reports:monitoring_save")
QUERY = "?jenis=semester&tahun=2026&semester=1"
AFTER = "2026-07-15 09:00 +0700"
GOOD, NOT_GOOD, NONE = Assessment.GOOD.value, Assessment.NOT_GOOD.value, Assessment.NONE.value

pytestmark = pytest.mark.usefixtures("history")


@pytest.fixture
def history(p):
    return build_history(p)


@pytest.fixture(autouse=True)
def _after_the_semester():
    with time_machine.travel(AFTER, tick=False):
        yield


def by_number(sheet) -> dict:
    return {r.number: r for r in sheet.rows}


def complete_rows(**overrides) -> dict[int, dict[str, str]]:
    """A full set of answers: the prefill's penilaian with an action where it is needed."""
    rows = {
        r.number: {"penilaian": r.penilaian, "catatan": r.catatan, "tindakan": "Dievaluasi."}
        for r in monitoring_sheet(SEMESTER).rows
    }
    for number, values in overrides.items():
        rows[int(number.removeprefix("s"))].update(values)
    return rows


# --- prefill ---------------------------------------------------------------------------------


def test_it_prefills_the_notes_from_the_figures():
    rows = by_number(monitoring_sheet(SEMESTER))
    assert rows[2].catatan == ("3 kejadian, 2 (67%) dalam mutu baku, median 10 menit, 1 terlambat")
    assert rows[3].catatan == (
        "2 kejadian, 1 (50%) dalam mutu baku, median 9 jam 30 menit, 2 terlambat"
    )
    assert rows[7].catatan == "1 kejadian, 1 (100%) dalam mutu baku, median 17 jam, 0 terlambat"
    assert not any(r.saved for r in rows.values())


def test_it_prefills_the_assessment_with_the_good_share_rule():
    rows = by_number(monitoring_sheet(SEMESTER))
    assessed = {n: r.penilaian for n, r in rows.items()}
    assert assessed == {
        1: GOOD, 2: NOT_GOOD, 3: NOT_GOOD, 4: GOOD, 5: NOT_GOOD, 6: GOOD, 7: GOOD,
        9: GOOD, 10: GOOD, 11: NOT_GOOD, 12: GOOD,
    }  # fmt: skip
    assert rows[1].penilaian_label == "Berjalan dengan baik"
    assert rows[2].penilaian_label == "Tidak berjalan dengan baik"


def test_it_follows_the_setting_for_berjalan_dengan_baik(settings):
    settings.BANDING_MONITORING_GOOD_SHARE = 0.5
    rows = by_number(monitoring_sheet(SEMESTER))
    assert (rows[2].penilaian, rows[3].penilaian, rows[5].penilaian) == (GOOD, GOOD, NOT_GOOD)
    assert monitoring_sheet(SEMESTER).good_percent == 50


def test_it_says_when_a_step_had_no_occurrence():
    rows = by_number(monitoring_sheet(Period.semester(2025, 2)))
    assert all(r.penilaian == NONE for r in rows.values())
    assert rows[4].catatan == "Tidak ada kejadian pada periode ini"
    assert rows[4].penilaian_label == "Tidak ada kejadian"


def test_it_leaves_a_step_open_past_due_without_occurrences_to_the_evaluator():
    rows = by_number(monitoring_sheet(Period.month(2026, 3)))
    assert rows[3].penilaian == ""
    assert rows[3].catatan == "Tidak ada yang selesai; 1 masih terbuka melewati jatuh tempo"
    assert figures_note(rows[3].stats) == rows[3].catatan


# --- save and finalise -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "head"])
def test_the_evaluator_saves_a_draft_and_it_wins_over_the_prefill(p, who):
    user = getattr(p, who)
    form = monitoring_save(
        user=user,
        period=SEMESTER,
        rows={3: {"penilaian": GOOD, "catatan": "Wajar: libur panjang.", "tindakan": ""}},
    )
    assert (form.status, form.evaluator, form.period_label) == (
        FormStatus.DRAFT,
        user,
        "Semester I 2026",
    )
    rows = by_number(monitoring_sheet(SEMESTER))
    assert (rows[3].penilaian, rows[3].catatan, rows[3].saved) == (
        GOOD,
        "Wajar: libur panjang.",
        True,
    )
    assert rows[2].saved is False  # the others stay prefilled
    event = Event.objects.get(action="monitoring.saved")
    assert event.actor == user
    assert event.summary == "Formulir monitoring SOP Semester I 2026 disimpan sebagai draf"


@pytest.mark.parametrize("who", ["staff", "auditor", "admin", "tech"])
def test_others_may_not_save_or_finalise(p, who):
    user = getattr(p, who)
    with pytest.raises(Forbidden) as error:
        monitoring_save(user=user, period=SEMESTER, rows={})
    assert error.value.message == NOT_EVALUATOR
    with pytest.raises(Forbidden):
        monitoring_finalise(user=user, period=SEMESTER, rows=complete_rows())
    assert not MonitoringForm.objects.exists()


def test_it_refuses_an_unknown_assessment(p):
    with pytest.raises(Invalid) as error:
        monitoring_save(user=p.lead, period=SEMESTER, rows={3: {"penilaian": "lumayan"}})
    assert error.value.message == "Penilaian langkah 3 tidak dikenal."


def test_finalising_needs_an_action_for_every_step_that_did_not_run_well(p):
    rows = complete_rows(s3={"tindakan": ""}, s5={"tindakan": ""})
    with pytest.raises(Invalid) as error:
        monitoring_finalise(user=p.lead, period=SEMESTER, rows=rows)
    assert error.value.message == (
        "Tindakan yang harus diambil wajib diisi untuk langkah yang tidak berjalan dengan "
        "baik: 3, 5."
    )
    assert not MonitoringForm.objects.exists()  # nothing saved either


def test_finalising_needs_every_step_judged(p):
    with pytest.raises(Invalid) as error:
        monitoring_finalise(user=p.lead, period=SEMESTER, rows=complete_rows(s4={"penilaian": ""}))
    assert error.value.message == "Penilaian belum diisi untuk langkah 4."
    with pytest.raises(Invalid) as error:
        monitoring_finalise(
            user=p.lead, period=SEMESTER, rows=complete_rows(s4={"penilaian": NONE})
        )
    assert error.value.message == (
        "Langkah 4 memiliki kejadian: pilih berjalan atau tidak berjalan dengan baik."
    )


def test_a_final_form_is_locked_and_keeps_its_figures(p):
    form = monitoring_finalise(user=p.head, period=SEMESTER, rows=complete_rows())
    assert form.status == FormStatus.FINAL
    assert form.evaluated_at is not None
    assert Event.objects.filter(action="monitoring.finalised", actor=p.head).count() == 1
    # Later data does not rewrite the judged figures.
    with time_machine.travel(at(12, "09:00"), tick=False):
        register(p, received_at=at(12, "08:00"))
    sheet = monitoring_sheet(SEMESTER)
    assert sheet.is_final
    assert {s.number: s.count for s in sheet.stats}[1] == 3
    assert sheet.paraf == "K"  # the head, "Kepala"
    message = "Formulir monitoring SOP Semester I 2026 sudah final dan tidak dapat diubah."
    with pytest.raises(Conflict) as error:
        monitoring_save(user=p.lead, period=SEMESTER, rows={3: {"penilaian": GOOD}})
    assert error.value.message == message
    with pytest.raises(Conflict):
        monitoring_finalise(user=p.lead, period=SEMESTER)


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "head", "auditor", "admin"])
def test_readers_open_the_page_for_the_current_semester_by_default(client, p, who):
    client.force_login(getattr(p, who))
    body = client.get(URL).content.decode()
    assert "Formulir monitoring pelaksanaan SOP" in body
    assert "Semester II 2026" in body
    assert f'href="{URL}"' in body  # the navbar link
    editable = 'name="penilaian_3"' in body
    assert editable is (who in ("lead", "head"))


@pytest.mark.parametrize("who", ["staff", "tech"])
def test_other_staff_are_refused_with_the_reason(client, p, who):
    client.force_login(getattr(p, who))
    for url in (URL, reverse("reports:monitoring_pdf"), reverse("reports:monitoring_xlsx")):
        response = client.get(url)
        assert response.status_code == 403
        assert REFUSAL in response.content.decode()
    assert f'href="{URL}"' not in client.get(reverse("appeals:inbox")).content.decode()


def test_customers_are_refused(client, p):
    client.force_login(p.customer)
    assert client.get(URL).status_code == 403


def test_the_page_shows_the_figures_and_the_prefill(client, p):
    client.force_login(p.lead)
    body = client.get(URL + QUERY).content.decode()
    assert "Semester I 2026" in body
    assert "9 jam 30 menit" in body  # step 3's median
    assert "17 jam" in body  # step 3's p90 (1020 minutes)
    assert "2 kejadian, 1 (50%) dalam mutu baku, median 9 jam 30 menit, 2 terlambat" in body


def _post(client, rows: dict, action: str):
    data = {"aksi": action}
    for number, values in rows.items():
        for name, value in values.items():
            data[f"{name}_{number}"] = value
    return client.post(SAVE + QUERY, data)


def test_the_evaluator_saves_and_finalises_through_the_page(client, p):
    client.force_login(p.lead)
    response = _post(client, complete_rows(s3={"catatan": "Dicek ulang."}), "simpan")
    assert response.status_code == 302
    assert response["Location"] == URL + QUERY
    form = MonitoringForm.objects.get()
    assert (form.status, form.rows["3"]["catatan"]) == (FormStatus.DRAFT, "Dicek ulang.")
    body = client.get(URL + QUERY).content.decode()
    assert "Formulir monitoring SOP Semester I 2026 disimpan sebagai draf." in body
    assert "Dicek ulang." in body

    response = _post(client, complete_rows(s3={"tindakan": ""}), "finalkan")
    assert response.status_code == 400
    assert "wajib diisi untuk langkah yang tidak berjalan dengan baik: 3." in (
        response.content.decode()
    )
    response = _post(client, complete_rows(), "finalkan")
    assert response.status_code == 302
    body = client.get(URL + QUERY).content.decode()
    assert 'name="penilaian_3"' not in body  # read-only now
    response = _post(client, complete_rows(), "simpan")
    assert response.status_code == 409
    assert "sudah final dan tidak dapat diubah" in response.content.decode()


def test_readers_who_do_not_evaluate_cannot_post(client, p):
    client.force_login(p.auditor)
    response = _post(client, complete_rows(), "simpan")
    assert response.status_code == 403
    assert NOT_EVALUATOR in response.content.decode()


def test_the_page_uses_the_same_number_of_queries_for_more_appeals(client, p):
    client.force_login(p.head)

    def queries() -> int:
        # The first read freezes the finished months (banding.reports.rollups); counted is
        # the page as every later reader gets it.
        assert client.get(URL + QUERY).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL + QUERY).status_code == 200
        return len(captured)

    few = queries()
    with time_machine.travel(at(12, "09:00"), tick=False):
        for _ in range(190):
            register(p, received_at=at(12, "08:00"))
    assert queries() == few


# --- downloads ---------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_carries_the_form_the_identity_and_the_figures(client, p):
    monitoring_finalise(
        user=p.lead, period=SEMESTER, rows=complete_rows(s5={"tindakan": "Rapat koordinasi."})
    )
    client.force_login(p.auditor)
    response = client.get(reverse("reports:monitoring_pdf") + QUERY)
    assert response["Content-Type"] == "application/pdf"
    assert "monitoring-sop-20260101-20260630.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "FORMULIR MONITORING PELAKSANAAN SOP" in text.upper()
    assert "5.1.24/BBSPJIKFK/2025" in text
    assert "Semester I 2026" in text
    assert "Ketua" in text  # the evaluator
    assert "Tidak berjalan dengan baik" in text
    assert "Rapat koordinasi." in text
    assert "Verifikasi kelengkapan dan relevansi" in text
    assert "9 jam 30 menit" in text


def test_the_xlsx_has_the_form_and_the_statistics(client, p):
    monitoring_save(user=p.head, period=SEMESTER, rows={3: {"penilaian": GOOD, "catatan": "=1+1"}})
    client.force_login(p.lead)
    response = client.get(reverse("reports:monitoring_xlsx") + QUERY)
    assert "monitoring-sop-20260101-20260630.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Monitoring", "Statistik"]
    form = list(book["Monitoring"].values)
    assert form[0][0] == "Formulir Monitoring Pelaksanaan SOP"
    assert form[2][0] == "Periode: Semester I 2026"
    assert form[5] == (
        "No",
        "Prosedur",
        "Penilaian",
        "Catatan hasil penilaian",
        "Tindakan yang harus diambil",
        "Paraf penilai",
    )
    step3 = next(row for row in form[6:] if row[0] == 3)
    assert step3[1:4] == ("Verifikasi kelengkapan dan relevansi", "Berjalan dengan baik", "'=1+1")
    stats = list(book["Statistik"].values)
    assert stats[0][:5] == ("No", "Langkah", "Pelaksana", "Mutu baku waktu", "Kejadian")
    assert [row[0] for row in stats[1:]] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert stats[3][4:] == (2, 570, 1020, 1, 50, 2)
