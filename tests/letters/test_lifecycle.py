"""Draft, issue (with the signer's password), immutability, corrections, withdrawal,
numbering, who may do what, and the frozen file of a closed appeal."""

import hashlib

import pytest
from django.test import override_settings
from django.utils import timezone

from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters import numbering, services
from banding.letters.models import Letter, LetterSequence, LetterStatus
from tests.factories import PASSWORD, issued, not_relevant, register, walk
from tests.letters.conftest import number_pdf
from tests.state import refused as refused_cleanly


@pytest.fixture
def rendered(monkeypatch):
    """Issuing without WeasyPrint: these tests are about the records, not the layout."""
    monkeypatch.setattr("banding.letters.render.render_pdf", number_pdf)


def receipt(p, appeal=None, signer=None):
    return issued(appeal or register(p), "tanda_terima", p.staff, signer or p.head)


def test_numbers_are_consecutive_per_kind_and_year(p, rendered):
    year = timezone.localdate().year
    month = timezone.localdate().month
    first = receipt(p)
    second = receipt(p)
    assert first.number == f"B-1/BBSPJIKFK/PJTK/HM.01/{month:02d}/{year}"
    assert second.number == f"B-2/BBSPJIKFK/PJTK/HM.01/{month:02d}/{year}"
    assert (first.sequence, second.sequence) == (1, 2)
    assert LetterSequence.objects.get(kind="tanda_terima", year=year).last == 2
    assert not LetterSequence.objects.filter(kind="nota_dinas").exists()


def test_a_refused_issue_takes_no_number(p, rendered):
    appeal = register(p)
    draft = services.letter_draft(
        appeal=appeal, user=p.staff, kind="tanda_terima", fields={"perihal": ""}
    )
    with pytest.raises(Invalid) as refused:
        services.letter_issue(letter=draft, user=p.head, password=PASSWORD)
    assert refused.value.message == "Lengkapi dahulu bagian surat: Perihal."
    services.letter_update(letter=draft, user=p.staff, fields={"perihal": "Tanda terima"})
    ok = services.letter_issue(letter=draft, user=p.head, password=PASSWORD)
    assert ok.sequence == 1


def test_signing_needs_the_signers_own_password_and_writes_nothing_without_it(p, rendered):
    appeal = register(p)
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")

    for wrong in ("", "salah", None):
        error = refused_cleanly(
            lambda w=wrong: services.letter_issue(letter=draft, user=p.head, password=w),
            Invalid,
            "Kata sandi tidak cocok; surat tidak diterbitkan. Masukkan kata sandi Anda untuk "
            "menandatangani.",
            "reauthentication_failed",
        )
        assert error.fields == {"password": ["Kata sandi tidak cocok."]}
    assert not LetterSequence.objects.exists()


def test_the_issue_event_holds_the_sha256_of_exactly_what_was_signed(p):
    letter = receipt(p)

    with letter.pdf.open("rb") as f:
        content = f.read()
    event = Event.objects.get(action="letter.issued")
    assert event.data["sha256"] == letter.sha256 == hashlib.sha256(content).hexdigest()
    assert event.data["reauthenticated"] is True
    assert (event.data["signed_as"], event.data["on_behalf"]) == ("Kepala Balai", False)


def test_the_team_leader_signs_on_the_heads_behalf(p, rendered):
    letter = receipt(p, signer=p.lead)

    assert (letter.signer, letter.on_behalf) == (p.lead, True)
    assert letter.signed_as == "a.n. Kepala Balai\nKetua Tim PJTK"
    assert Event.objects.get(action="letter.issued").summary == (
        f"Tanda terima banding {letter.number} terbit, ditandatangani secara elektronik oleh "
        "Ketua (a.n. Kepala Balai, Ketua Tim PJTK)"
    )


@override_settings(BANDING_LETTER_SIGNERS={"tanda_terima": {"signer": "KAB"}})
def test_the_signers_of_a_kind_are_a_setting(p, rendered):
    draft = services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima")

    refused_cleanly(
        lambda: services.letter_issue(letter=draft, user=p.lead, password=PASSWORD),
        Forbidden,
        "Tanda terima banding ditandatangani oleh Kepala Balai; Anda tidak berperan itu.",
        "not_your_role",
    )


@override_settings(BANDING_LETTER_SIGNERS={"tanda_terima": "KAB"})
def test_a_wrong_signer_setting_says_how_to_write_it(p, rendered):
    from django.core.exceptions import ImproperlyConfigured

    from banding.letters.kinds import spec

    with pytest.raises(ImproperlyConfigured, match="BANDING_LETTER_SIGNERS"):
        spec("tanda_terima").signer  # noqa: B018


def test_a_person_involved_signs_no_letter_that_proposes_appoints_or_decides(p, rendered):
    appeal = walk(p, register(p, involved=[p.tech]), 5)
    services.letter_issue(  # a receipt or memo is not a decision: signed as usual
        letter=services.letter_draft(
            appeal=register(p, involved=[p.lead]), user=p.staff, kind="tanda_terima"
        ),
        user=p.lead,
        password=PASSWORD,
    )
    from banding.appeals import services as appeal_services

    appeal_services.panel_propose(appeal=appeal, user=p.tech, members=p.panel[:3], chair=p.panel[0])
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="usulan_panel")

    refused_cleanly(
        lambda: services.letter_issue(letter=draft, user=p.tech, password=PASSWORD),
        Forbidden,
        "Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat menandatangani "
        "Usulan Tim Panel Banding banding ini (ISO/IEC 17025 7.9.6).",
        "involved_person",
    )


@override_settings(BANDING_LETTER_NUMBERING={"tanda_terima": "{seq:03d}/TT/{year}"})
def test_the_pattern_is_a_setting():
    assert numbering.format_number("tanda_terima", 7, timezone.localdate()) == (
        f"007/TT/{timezone.localdate().year}"
    )


def test_an_issued_letter_cannot_be_changed(p, rendered):
    letter = receipt(p)
    message = (
        f"Surat {letter.number} sudah terbit dan tidak dapat diubah; buat koreksi (versi baru) "
        "bila perlu."
    )
    for action in (
        lambda: services.letter_update(letter=letter, user=p.staff, fields={"catatan": "x"}),
        lambda: services.letter_issue(letter=letter, user=p.head, password=PASSWORD),
        lambda: services.letter_discard(letter=letter, user=p.staff),
        lambda: services.letter_preview(letter=letter),
    ):
        with pytest.raises(Conflict) as refused:
            action()
        assert refused.value.message == message
    stored = Letter.objects.get(pk=letter.pk)
    assert (stored.number, stored.sha256, stored.fields) == (
        letter.number,
        letter.sha256,
        letter.fields,
    )


def test_a_second_letter_of_a_kind_for_the_same_step_is_refused(p, rendered):
    appeal = register(p)
    first = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")

    refused_cleanly(
        lambda: services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        Conflict,
        "Tanda terima banding untuk langkah ini sudah ada (drafnya); lanjutkan yang itu.",
        "letter_exists",
    )
    services.letter_issue(letter=first, user=p.head, password=PASSWORD)
    first.refresh_from_db()
    refused_cleanly(
        lambda: services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        Conflict,
        f"Tanda terima banding untuk langkah ini sudah ada (surat {first.number}); lanjutkan "
        "yang itu.",
        "letter_exists",
    )


def test_facts_are_not_parts_people_type(p, rendered):
    appeal = not_relevant(p, register(p))

    refused_cleanly(
        lambda: services.letter_draft(
            appeal=appeal, user=p.staff, kind="penolakan", fields={"alasan": "Lain."}
        ),
        Invalid,
        "Bagian surat yang tidak dapat diisi: alasan. Fakta surat (keputusan, alasan, susunan "
        "panel, daftar hadir) diambil dari catatan langkahnya.",
        "invalid",
    )


def test_a_correction_is_a_new_version_and_keeps_the_old(p, rendered):
    appeal = register(p)
    old = receipt(p, appeal)
    new = services.letter_supersede(
        letter=old, user=p.staff, reason="Catatan salah.", fields={"catatan": "Catatan benar."}
    )
    old.refresh_from_db()
    assert old.status == LetterStatus.ISSUED  # valid until the correction is issued
    assert (new.version, new.supersedes, new.status) == (2, old, LetterStatus.DRAFT)
    assert new.occurrence_id == old.occurrence_id
    new = services.letter_issue(letter=new, user=p.head, password=PASSWORD)
    old.refresh_from_db()
    assert old.status == LetterStatus.SUPERSEDED
    assert old.pdf and old.sha256 and old.number != new.number
    assert new.fields["catatan"] == "Catatan benar." and new.correction_reason == "Catatan salah."
    with pytest.raises(Conflict):
        services.letter_supersede(letter=old, user=p.staff, reason="lagi")
    assert list(
        Event.objects.filter(appeal=appeal, action__startswith="letter.").values_list(
            "action", flat=True
        )
    ) == [
        "letter.drafted",
        "letter.issued",
        "letter.correction_drafted",
        "letter.issued",
    ]


def test_who_drafts_and_who_signs(p, rendered):
    appeal = register(p)
    with pytest.raises(Forbidden) as refused:
        services.letter_draft(appeal=appeal, user=p.tech, kind="tanda_terima")
    assert refused.value.message == (
        "Tanda terima banding disiapkan oleh Staff PJTK; Anda tidak berperan itu."
    )
    with pytest.raises(Conflict) as refused:
        services.letter_draft(appeal=appeal, user=p.staff, kind="keputusan")
    assert refused.value.message == (
        f"Keputusan penyelesaian banding dibuat pada langkah 10 (Persetujuan keputusan); banding "
        f"{appeal.number} sedang berada di langkah 3 (Verifikasi kelengkapan dan relevansi)."
    )
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    with pytest.raises(Forbidden) as refused:
        services.letter_issue(letter=draft, user=p.staff, password=PASSWORD)
    assert refused.value.message == (
        "Tanda terima banding ditandatangani oleh Kepala Balai atau Ketua Tim PJTK a.n. Kepala "
        "Balai; Anda tidak berperan itu."
    )


def test_a_draft_of_a_step_that_is_over_cannot_be_issued(p, rendered):
    appeal = register(p)
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    walk(p, appeal, 5)

    refused_cleanly(
        lambda: services.letter_issue(letter=draft, user=p.head, password=PASSWORD),
        Conflict,
        f"Tanda terima banding dibuat pada langkah 2 atau 3 (Penerimaan dan pencatatan); banding "
        f"{appeal.number} sedang berada di langkah 5 (Usulan Tim Panel Banding).",
        "wrong_step",
    )


def test_an_issued_letter_of_the_open_step_is_withdrawn_with_its_reason(p, rendered):
    appeal = register(p)
    letter = receipt(p, appeal)

    with pytest.raises(Forbidden):
        services.letter_withdraw(letter=letter, user=p.staff, reason="Salah kirim.")
    with pytest.raises(Invalid):
        services.letter_withdraw(letter=letter, user=p.head, reason=" ")
    services.letter_withdraw(letter=letter, user=p.head, reason="Salah kirim.")

    letter.refresh_from_db()
    assert (letter.status, letter.withdrawn_by, letter.withdrawal_reason) == (
        LetterStatus.WITHDRAWN,
        p.head,
        "Salah kirim.",
    )
    assert Event.objects.filter(action="letter.withdrawn", appeal=appeal).exists()
    with pytest.raises(Conflict):
        services.letter_withdraw(letter=letter, user=p.head, reason="Lagi.")


def test_a_letter_of_a_completed_step_is_corrected_not_withdrawn(p, rendered):
    appeal = walk(p, register(p), 5)
    nota = appeal.letters.get(kind="nota_dinas")

    refused_cleanly(
        lambda: services.letter_withdraw(letter=nota, user=p.lead, reason="Salah."),
        Conflict,
        f"Surat {nota.number} adalah output langkah yang sudah selesai; surat itu dikoreksi "
        "dengan versi baru, tidak dicabut.",
        "wrong_step",
    )


def test_admin_shows_letters_read_only(p, rendered, client):
    letter = receipt(p)
    p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    url = f"/admin/letters/letter/{letter.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"number": "X-1", "status": "draft"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/letters/letter/{letter.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    letter.refresh_from_db()
    assert letter.number != "X-1" and letter.status == LetterStatus.ISSUED


def test_letterhead_logo_must_be_an_image(db):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from banding.letters.models import Letterhead
    from tests.factories import PDF_BYTES

    head = Letterhead(logo=SimpleUploadedFile("logo.png", PDF_BYTES))
    with pytest.raises(ValidationError) as refused:
        head.full_clean()
    assert refused.value.message_dict["logo"] == ["Logo harus berkas gambar PNG atau JPEG."]


def test_a_closed_appeal_takes_no_new_or_changed_letter(p, rendered):
    appeal = walk(p, register(p), 13)
    delivery = appeal.letters.get(kind="penyampaian")
    message = (
        f"Banding {appeal.number} sudah selesai; berkasnya dibekukan sehingga surat tidak "
        "dapat dibuat, diubah atau diterbitkan lagi (koreksi hanya dengan izin Kepala Balai)."
    )

    refused_cleanly(
        lambda: services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        Conflict,
        message,
        "appeal_closed",
    )
    refused_cleanly(
        lambda: services.letter_supersede(letter=delivery, user=p.staff, reason="Salah ketik."),
        Forbidden,
        f"Banding {appeal.number} sudah ditutup; koreksi suratnya hanya dapat diizinkan oleh "
        "Kepala Balai.",
        "not_your_role",
    )


def test_the_head_authorises_a_correction_after_closure(p, rendered):
    appeal = walk(p, register(p), 13)
    decision = appeal.letters.get(kind="keputusan")

    correction = services.letter_supersede(
        letter=decision,
        user=p.head,
        reason="Nomor laporan pengganti salah tulis.",
        fields={"pertimbangan": "Pertimbangan yang benar."},
    )
    assert (correction.amendment_authorised_by, correction.version) == (p.head, 2)
    event = Event.objects.filter(appeal=appeal).last()
    assert event.action == "letter.amendment_authorised"
    assert event.summary == (
        f"Koreksi Keputusan penyelesaian banding {decision.number} diizinkan Kepala Balai "
        "setelah banding ditutup: Nomor laporan pengganti salah tulis."
    )
    services.letter_update(letter=correction, user=p.staff, fields={"perihal": "Keputusan"})
    correction = services.letter_issue(letter=correction, user=p.head, password=PASSWORD)

    decision.refresh_from_db()
    assert decision.status == LetterStatus.SUPERSEDED
    assert correction.status == LetterStatus.ISSUED and correction.number != decision.number
    appeal.refresh_from_db()
    assert appeal.status == "closed"  # nothing else reopens
    assert Event.objects.get(action="letter.issued", data__letter=str(correction.public_id)).public


def test_wrong_passwords_lock_signing_for_the_cooloff_and_the_right_one_then_waits(
    p, rendered, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    draft = services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima")
    for _ in range(3):
        with pytest.raises(Invalid):
            services.letter_issue(letter=draft, user=p.head, password="salah")

    refused_cleanly(
        lambda: services.letter_issue(letter=draft, user=p.head, password=PASSWORD),
        Forbidden,
        "Terlalu banyak kata sandi yang salah; penandatanganan Anda dikunci 15 menit. Surat "
        "tidak diterbitkan.",
        "reauthentication_locked",
    )
    # Another signer is not locked out by the head's mistakes.
    assert services.letter_issue(letter=draft, user=p.lead, password=PASSWORD).number


def test_a_right_password_forgives_the_wrong_ones_before_it(p, rendered, settings):
    settings.AXES_FAILURE_LIMIT = 3
    appeal = register(p)
    first = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    for _ in range(2):
        with pytest.raises(Invalid):
            services.letter_issue(letter=first, user=p.head, password="salah")
    services.letter_issue(letter=first, user=p.head, password=PASSWORD)
    second = services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima")
    for _ in range(2):
        with pytest.raises(Invalid):
            services.letter_issue(letter=second, user=p.head, password="salah")

    assert services.letter_issue(letter=second, user=p.head, password=PASSWORD).number
