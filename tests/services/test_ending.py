"""services.ending: the customer's withdrawal (portal), a withdrawal by letter recorded by the
staff, and the closure as a duplicate; what each ends, tells and refuses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banding.accounts.roles import Role
from banding.appeals import progress, services
from banding.appeals.models import Appeal, Document, DocumentKind, Status
from banding.appeals.sla import sla_sweep
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters.outcome import outcome_of
from banding.notifications.models import Kind, Mail, Notification
from banding.notifications.rendering import render_mail
from banding.sop.definition import Stage
from tests.factories import make_user, pdf, register, walk
from tests.state import new_events, open_step, refused

NOT_STAFF = (
    "Pencabutan dan penutupan sebagai duplikat dicatat oleh Staff PJTK, Ketua Tim PJTK atau "
    "Kepala Balai."
)


def withdrawn_by_customer(p, appeal, reason="Keluhan sudah diselesaikan secara langsung."):
    return services.appeal_withdraw(appeal=appeal, user=p.customer, reason=reason)


def letter_day(days: int = 0):
    return timezone.localdate() - timedelta(days=days)


# --- the customer's withdrawal ------------------------------------------------------------


def test_the_customer_withdraws_an_open_appeal_and_its_step_stops(p):
    appeal = walk(p, register(p), 5)
    step = open_step(appeal)
    events = Event.objects.count()

    withdrawn_by_customer(p, appeal)

    appeal.refresh_from_db()
    assert appeal.status == Status.WITHDRAWN
    assert appeal.get_status_display() == "Dicabut"
    assert (appeal.current_step, appeal.current_actor, appeal.current_due_at) == (None, "", None)
    assert appeal.closed_at is not None
    assert open_step(appeal) is None
    step.refresh_from_db()
    assert (step.number, step.outcome, step.completed_by) == (5, "withdrawn", p.customer)
    # Stopped, not done: the monitoring's step figures leave it out.
    assert (step.working_minutes, step.within_standard) == (None, None)
    assert step.data == {
        "reason": "Keluhan sudah diselesaikan secara langsung.",
        "by": "customer",
        "channel": "portal",
    }
    assert new_events(events) == ["appeal.withdrawn"]
    event = Event.objects.latest("pk")
    assert event.public and event.step == 5 and event.actor == p.customer
    assert event.summary == (
        "Banding dicabut oleh pelanggan melalui portal: Keluhan sudah diselesaikan secara langsung."
    )


def test_a_withdrawal_tells_the_customer_and_those_who_had_the_step(p):
    for user, email in ((p.customer, "pelanggan@kimia.example"), (p.lead, "ketua@balai.go.id")):
        user.email = email
        user.save(update_fields=["email"])
    appeal = walk(p, register(p), 3)  # step 3: the Ketua Tim PJTK's
    withdrawn_by_customer(p, appeal, reason="")

    customer = Notification.objects.get(kind=Kind.APPEAL_WITHDRAWN)
    assert customer.recipient == p.customer
    assert customer.message.startswith(f"Banding {appeal.number} dicabut. Penanganan banding")
    staff = Notification.objects.filter(kind=Kind.APPEAL_ENDED)
    assert {n.recipient for n in staff} == {p.lead}
    assert staff[0].message == (
        f"Banding {appeal.number} dicabut oleh pelanggan; langkah 3 (Verifikasi kelengkapan "
        "dan relevansi) dihentikan."
    )
    # Their e-mails, through the outbox: the customer's account, the appeal's contact address
    # (no account has it) and the Ketua Tim PJTK.
    mails = Mail.objects.filter(kind__in=[Kind.APPEAL_WITHDRAWN, Kind.APPEAL_ENDED])
    assert {(m.kind, m.to_address) for m in mails} == {
        (Kind.APPEAL_WITHDRAWN, "pelanggan@kimia.example"),
        (Kind.APPEAL_WITHDRAWN, "budi@kimia.example"),
        (Kind.APPEAL_ENDED, "ketua@balai.go.id"),
    }


def test_the_notices_e_mails_render(p):
    original = register(p)
    first, second = register(p), register(p)
    services.withdrawal_record(
        appeal=first, user=p.staff, letter_date=letter_day(), reason="Tidak melanjutkan."
    )
    services.appeal_close_duplicate(
        appeal=second, user=p.lead, original=original, reason="Diajukan dua kali."
    )
    rendered = {
        m.kind: render_mail(m) for m in Mail.objects.filter(to_address="budi@kimia.example")
    }
    withdrawn = rendered[Kind.APPEAL_WITHDRAWN]
    assert withdrawn.subject == f"[SiBanding] Banding {first.number} dicabut"
    assert "Kami mengonfirmasi pencabutan permohonan banding" in withdrawn.text
    assert "Tidak melanjutkan." in withdrawn.text and "/portal/banding/" in withdrawn.text
    duplicate = rendered[Kind.APPEAL_DUPLICATE]
    assert duplicate.subject == f"[SiBanding] Banding {second.number} ditutup sebagai duplikat"
    assert f"sama dengan permohonan banding {original.number}" in duplicate.text
    assert "Diajukan dua kali." in duplicate.html


def test_the_customer_reads_the_withdrawal_as_its_outcome_and_last_milestone(p):
    appeal = walk(p, register(p), 5)
    withdrawn_by_customer(p, appeal, reason="Sudah sepakat.")
    appeal.refresh_from_db()

    assert progress.stage_of(appeal) == Stage.DICABUT
    rows = progress.milestones_of(appeal, appeal.steps.all())
    assert [(r.stage, r.state) for r in rows] == [
        (Stage.DITERIMA, "done"),
        (Stage.DIVERIFIKASI, "done"),
        (Stage.DICABUT, "done"),
    ]
    outcome = outcome_of(appeal)
    assert outcome is not None
    assert outcome.sentence == "Permohonan banding Anda dicabut."
    assert outcome.reasons == "Sudah sepakat."
    assert outcome.letters == ()


def test_the_sweep_passes_over_a_withdrawn_appeal(p):
    appeal = register(p)
    withdrawn_by_customer(p, appeal)
    later = timezone.now() + timedelta(days=60)
    result = sla_sweep(later)
    assert Notification.objects.filter(kind__in=[Kind.STEP_OVERDUE, Kind.STEP_AT_RISK]).count() == 0
    assert result is not None


def test_another_organisations_customer_may_not_withdraw(p):
    appeal = register(p)
    refused(
        lambda: services.appeal_withdraw(appeal=appeal, user=p.customer_other),
        Forbidden,
        "Banding hanya dapat dicabut oleh pelanggan yang mengajukannya.",
        "not_your_role",
    )


def test_staff_do_not_withdraw_as_the_customer(p):
    appeal = register(p)
    refused(
        lambda: services.appeal_withdraw(appeal=appeal, user=p.staff),
        Forbidden,
        "Banding hanya dapat dicabut oleh pelanggan yang mengajukannya.",
        "not_your_role",
    )


@pytest.mark.parametrize("ending", ["closed", "rejected", "withdrawn", "duplicate"])
def test_an_appeal_that_ended_cannot_be_withdrawn(p, ending):
    appeal = register(p)
    Appeal.objects.filter(pk=appeal.pk).update(status=ending)
    label = {
        "closed": "selesai",
        "rejected": "ditolak (tidak relevan)",
        "withdrawn": "dicabut",
        "duplicate": "ditutup (duplikat)",
    }[ending]
    message = f"Banding {appeal.number} sudah {label}; tidak dapat dicabut atau ditutup lagi."
    refused(lambda: withdrawn_by_customer(p, appeal), Conflict, message, "appeal_closed")
    refused(
        lambda: services.withdrawal_record(appeal=appeal, user=p.staff, letter_date=letter_day()),
        Conflict,
        message,
        "appeal_closed",
    )


def test_a_closed_appeal_cannot_be_withdrawn_after_the_whole_sop(p):
    appeal = walk(p, register(p), 99)
    assert appeal.status == Status.CLOSED
    refused(
        lambda: withdrawn_by_customer(p, appeal),
        Conflict,
        f"Banding {appeal.number} sudah selesai; tidak dapat dicabut atau ditutup lagi.",
        "appeal_closed",
    )


# --- a withdrawal by letter -----------------------------------------------------------------


def test_staff_record_a_withdrawal_letter_with_its_scan(p):
    appeal = walk(p, register(p), 7)
    day = letter_day()
    services.withdrawal_record(
        appeal=appeal,
        user=p.staff,
        letter_date=day,
        reason="Tidak melanjutkan.",
        letter=pdf("surat-pencabutan.pdf"),
    )
    appeal.refresh_from_db()
    assert appeal.status == Status.WITHDRAWN
    doc = Document.objects.get(appeal=appeal, kind=DocumentKind.WITHDRAWAL_LETTER)
    assert doc.step == 7 and doc.customer_visible
    step = appeal.steps.get(outcome="withdrawn")
    assert step.data == {
        "reason": "Tidak melanjutkan.",
        "by": "letter",
        "letter_date": day.isoformat(),
        "document": str(doc.public_id),
    }
    actions = list(Event.objects.filter(appeal=appeal).values_list("action", flat=True))
    assert actions[-2:] == ["document.added", "appeal.withdrawn"]
    # The panel, whose step 7 stopped, is told.
    told = set(
        Notification.objects.filter(kind=Kind.APPEAL_ENDED).values_list("recipient", flat=True)
    )
    assert told == {s.user_id for s in appeal.panel_seats.all()}


@pytest.mark.parametrize("role", [Role.PJTK_LEAD, Role.HEAD])
def test_the_lead_and_the_head_may_record_a_withdrawal(p, role):
    appeal = register(p)
    user = p.lead if role == Role.PJTK_LEAD else p.head
    services.withdrawal_record(appeal=appeal, user=user, letter_date=letter_day())
    appeal.refresh_from_db()
    assert appeal.status == Status.WITHDRAWN


@pytest.mark.parametrize("name", ["tech", "auditor", "customer"])
def test_other_roles_may_not_record_a_withdrawal(p, name):
    appeal = register(p)
    refused(
        lambda: services.withdrawal_record(
            appeal=appeal, user=getattr(p, name), letter_date=letter_day()
        ),
        Forbidden,
        NOT_STAFF,
        "not_your_role",
    )


def test_a_withdrawal_letter_needs_a_date_not_in_the_future_nor_before_the_appeal(p):
    appeal = register(p)
    refused(
        lambda: services.withdrawal_record(appeal=appeal, user=p.staff, letter_date=None),
        Invalid,
        "Tanggal surat pencabutan wajib diisi.",
        "invalid",
    )
    refused(
        lambda: services.withdrawal_record(appeal=appeal, user=p.staff, letter_date=letter_day(-1)),
        Invalid,
        "Tanggal surat pencabutan tidak boleh di masa depan.",
        "invalid",
    )
    refused(
        lambda: services.withdrawal_record(appeal=appeal, user=p.staff, letter_date=letter_day(30)),
        Invalid,
        "Tanggal surat pencabutan tidak boleh sebelum banding diterima.",
        "invalid",
    )


def test_a_withdrawal_letter_that_is_no_document_is_refused_and_nothing_stored(p):
    appeal = register(p)
    refused(
        lambda: services.withdrawal_record(
            appeal=appeal,
            user=p.staff,
            letter_date=letter_day(),
            letter=pdf("surat.pdf", b"bukan pdf"),
        ),
        Invalid,
        "Berkas surat.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX.",
        "upload_type",
    )


# --- a duplicate ---------------------------------------------------------------------------


def test_staff_close_an_appeal_as_a_duplicate_of_the_original(p):
    original = register(p)
    appeal = walk(p, register(p), 3)
    events = Event.objects.count()

    services.appeal_close_duplicate(
        appeal=appeal, user=p.staff, original=original, reason="Diajukan dua kali."
    )

    appeal.refresh_from_db()
    assert appeal.status == Status.DUPLICATE
    assert appeal.get_status_display() == "Ditutup (duplikat)"
    assert appeal.duplicate_of == original
    assert list(original.duplicates.all()) == [appeal]
    assert open_step(appeal) is None
    assert new_events(events) == ["appeal.closed_duplicate"]
    event = Event.objects.latest("pk")
    assert event.summary == (
        f"Banding ditutup sebagai duplikat dari banding {original.number}: Diajukan dua kali."
    )
    assert event.data["original_number"] == original.number
    notice = Notification.objects.get(kind=Kind.APPEAL_DUPLICATE)
    assert notice.recipient == p.customer
    assert original.number in notice.message
    assert progress.stage_of(appeal) == Stage.DUPLIKAT
    outcome = outcome_of(appeal)
    assert outcome is not None
    assert outcome.sentence == "Permohonan banding Anda ditutup sebagai duplikat."
    assert outcome.next.startswith(
        f"Permohonan ini sama dengan permohonan banding {original.number}"
    )
    # The original runs on.
    original.refresh_from_db()
    assert original.status == Status.OPEN


def test_a_duplicate_of_another_organisations_appeal_is_refused(p):
    other = register(p, organization=p.org_other)
    appeal = register(p)
    refused(
        lambda: services.appeal_close_duplicate(
            appeal=appeal, user=p.staff, original=other, reason="Sama."
        ),
        Invalid,
        "Banding asli harus milik organisasi pelanggan yang sama.",
        "duplicate_other_organization",
    )


def test_an_appeal_is_no_duplicate_of_itself(p):
    appeal = register(p)
    refused(
        lambda: services.appeal_close_duplicate(
            appeal=appeal, user=p.staff, original=appeal, reason="Sama."
        ),
        Invalid,
        "Banding tidak dapat menjadi duplikat dari dirinya sendiri.",
        "duplicate_self",
    )


def test_a_duplicate_links_to_the_original_not_along_a_chain(p):
    original = register(p)
    first = register(p)
    services.appeal_close_duplicate(appeal=first, user=p.staff, original=original, reason="Sama.")
    second = register(p)
    refused(
        lambda: services.appeal_close_duplicate(
            appeal=second, user=p.staff, original=first, reason="Sama."
        ),
        Invalid,
        f"Banding {first.number} sendiri sudah ditutup sebagai duplikat; pilih banding aslinya.",
        "duplicate_chain",
    )
    # Nor may the original, which a duplicate names, become a duplicate itself.
    refused(
        lambda: services.appeal_close_duplicate(
            appeal=original, user=p.staff, original=second, reason="Sama."
        ),
        Invalid,
        f"Banding {original.number} menjadi banding asli bagi duplikat lain; banding ini tidak "
        "dapat ditutup sebagai duplikat.",
        "duplicate_chain",
    )


def test_a_duplicate_needs_a_reason_and_a_role(p):
    original, appeal = register(p), register(p)
    refused(
        lambda: services.appeal_close_duplicate(
            appeal=appeal, user=p.staff, original=original, reason=" "
        ),
        Invalid,
        "Alasan wajib diisi.",
        "invalid",
    )
    for user in (p.tech, p.auditor, p.customer):
        refused(
            lambda user=user: services.appeal_close_duplicate(
                appeal=appeal, user=user, original=original, reason="Sama."
            ),
            Forbidden,
            NOT_STAFF,
            "not_your_role",
        )


def test_a_deactivated_staff_member_may_not_end_an_appeal(p):
    gone = make_user("staf_lama", Role.PJTK_STAFF, is_active=False)
    appeal = register(p)
    refused(
        lambda: services.withdrawal_record(appeal=appeal, user=gone, letter_date=letter_day()),
        Forbidden,
        NOT_STAFF,
        "not_your_role",
    )


def test_the_original_is_named_by_register_number_or_public_id(p):
    original = register(p)
    assert services.original_named(f" {original.number.lower()} ") == original
    assert services.original_named(str(original.public_id)) == original
    with pytest.raises(Invalid) as info:
        services.original_named("BDG/1999/0001")
    assert info.value.message == "Banding BDG/1999/0001 tidak ditemukan."
    assert info.value.fields == {"original": ["Banding BDG/1999/0001 tidak ditemukan."]}
