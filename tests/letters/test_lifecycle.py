"""Draft, issue, immutability, corrections, numbering and who may do what."""

import pytest
from django.test import override_settings
from django.utils import timezone

from banding.appeals.errors import Conflict, Forbidden, Invalid
from banding.audit.models import Event
from banding.letters import numbering, services
from banding.letters.models import Letter, LetterSequence, LetterStatus
from tests.factories import register, walk


@pytest.fixture
def rendered(monkeypatch):
    """Issuing without WeasyPrint: these tests are about the records, not the layout."""
    monkeypatch.setattr(
        "banding.letters.render.render_pdf", lambda letter: f"%PDF-1.7 {letter.number}".encode()
    )


def test_numbers_are_consecutive_per_kind_and_year(p, rendered):
    appeal = register(p)
    year = timezone.localdate().year
    month = timezone.localdate().month
    first = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        user=p.staff,
    )
    second = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        user=p.staff,
    )
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
        services.letter_issue(letter=draft, user=p.staff)
    assert refused.value.message == "Lengkapi dahulu bagian surat: Perihal."
    ok = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        user=p.staff,
    )
    assert ok.sequence == 1


@override_settings(BANDING_LETTER_NUMBERING={"tanda_terima": "{seq:03d}/TT/{year}"})
def test_the_pattern_is_a_setting():
    assert numbering.format_number("tanda_terima", 7, timezone.localdate()) == (
        f"007/TT/{timezone.localdate().year}"
    )


def test_an_issued_letter_cannot_be_changed(p, rendered):
    appeal = register(p)
    letter = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        user=p.staff,
    )
    message = (
        f"Surat {letter.number} sudah terbit dan tidak dapat diubah; buat koreksi (versi baru) "
        "bila perlu."
    )
    for action in (
        lambda: services.letter_update(letter=letter, user=p.staff, fields={"catatan": "x"}),
        lambda: services.letter_issue(letter=letter, user=p.staff),
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


def test_a_correction_is_a_new_version_and_keeps_the_old(p, rendered):
    appeal = register(p)
    old = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        user=p.staff,
    )
    new = services.letter_supersede(
        letter=old, user=p.staff, reason="Nama narahubung salah.", fields={"kepada": "Budi S."}
    )
    old.refresh_from_db()
    assert old.status == LetterStatus.ISSUED  # valid until the correction is issued
    assert (new.version, new.supersedes, new.status) == (2, old, LetterStatus.DRAFT)
    new = services.letter_issue(letter=new, user=p.staff)
    old.refresh_from_db()
    assert old.status == LetterStatus.SUPERSEDED
    assert old.pdf and old.sha256 and old.number != new.number
    assert new.fields["kepada"] == "Budi S." and new.correction_reason == "Nama narahubung salah."
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
        f"{appeal.number} belum sampai ke langkah itu."
    )
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    with pytest.raises(Forbidden) as refused:
        services.letter_issue(letter=draft, user=p.lead)
    assert refused.value.message == (
        "Tanda terima banding ditandatangani oleh Staff PJTK; Anda tidak berperan itu."
    )


def test_admin_shows_letters_read_only(p, rendered, client):
    appeal = register(p)
    letter = services.letter_issue(
        letter=services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima"),
        user=p.staff,
    )
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
    appeal = walk(p, register(p), 12)
    draft = services.letter_draft(appeal=appeal, user=p.staff, kind="penyampaian")
    appeal = walk(p, appeal, 13)  # step 12 recorded: the appeal is closed, its file frozen
    message = (
        f"Banding {appeal.number} sudah selesai; berkasnya dibekukan sehingga surat tidak "
        "dapat dibuat, diubah atau diterbitkan lagi."
    )

    with pytest.raises(Conflict, match=message):
        services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
    with pytest.raises(Conflict, match=message):
        services.letter_update(letter=draft, user=p.staff, fields={})
    with pytest.raises(Conflict, match=message):
        services.letter_issue(letter=draft, user=p.staff)
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT and not draft.number
