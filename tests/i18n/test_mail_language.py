"""Customer e-mails in the recipient account's language; staff e-mails in Indonesian."""

from __future__ import annotations

from django.utils import translation

from banding.notifications.models import Mail
from banding.notifications.rendering import language_of, render_mail
from tests.factories import register

MILESTONE = {
    "stage_label": "Diterima",
    "told": "Permohonan banding Anda telah kami terima.",
    "link": "http://127.0.0.1:8000/portal/banding/u/",
    "receipt_link": "http://127.0.0.1:8000/portal/banding/u/tanda-terima/",
    "survey_link": "http://127.0.0.1:8000/portal/banding/u/#survei",
}


def _english(user) -> None:
    user.language = "en"
    user.save(update_fields=["language"])


def test_an_english_customer_reads_the_milestone_mail_in_english(mailable):
    customer = mailable.customer
    _english(customer)
    appeal = register(mailable)
    mail = Mail(
        kind="milestone",
        to_user=customer,
        to_address=customer.email,
        appeal=appeal,
        context=MILESTONE,
    )

    rendered = render_mail(mail)

    assert rendered.subject == f"[SiBanding] Appeal {appeal.number}: Received"
    assert rendered.text.startswith(
        f"Dear {customer.display_name},\n\nWe have received your appeal.\n"
    )
    assert f"Register number : {appeal.number}" in rendered.text
    assert "Stage           : Received" in rendered.text
    assert "Original complaint: KEL/2026/017" in rendered.text
    assert "customer satisfaction survey" in rendered.text
    assert "This e-mail was sent automatically; please do not reply to it." in rendered.text
    assert '<html lang="en">' in rendered.html
    assert "See the progress of your appeal</a>" in rendered.html
    for indonesian in ("Yth.", "Nomor register", "Tahap", "Surel ini dikirim otomatis"):
        assert indonesian not in rendered.text + rendered.html


def test_a_customer_without_a_choice_and_a_contact_address_read_indonesian(mailable):
    appeal = register(mailable)
    for mail in (
        Mail(kind="milestone", to_user=mailable.customer, to_address="a@x.example", appeal=appeal),
        Mail(kind="milestone", to_address="kontak@x.example", appeal=appeal),
    ):
        mail.context = MILESTONE
        rendered = render_mail(mail)
        assert rendered.subject == f"[SiBanding] Banding {appeal.number}: Diterima"
        assert f"Nomor register  : {appeal.number}" in rendered.text


def test_an_account_mail_follows_the_registrants_language(mailable):
    customer = mailable.customer
    _english(customer)
    mail = Mail(
        kind="account_confirmed",
        to_user=customer,
        to_address=customer.email,
        context={"organization": "PT Kimia Nusantara", "login_url": "http://x.example/masuk/"},
    )

    rendered = render_mail(mail)

    assert rendered.subject == "[SiBanding] Your registration is confirmed: PT Kimia Nusantara"
    assert "is now linked to PT Kimia Nusantara" in " ".join(rendered.text.split())


def test_staff_mail_is_indonesian_whatever_the_account_says(mailable):
    staff = mailable.staff
    _english(staff)  # not possible through the switch; the mail ignores it anyway
    appeal = register(mailable)
    mail = Mail(
        kind="step_assigned",
        to_user=staff,
        to_address=staff.email,
        appeal=appeal,
        context={"message": "Giliran Anda.", "link": "http://x.example/"},
    )

    assert language_of(mail) == "id"
    assert "Yth." in render_mail(mail).text


def test_rendering_leaves_the_workers_language_alone(mailable):
    customer = mailable.customer
    _english(customer)
    mail = Mail(kind="milestone", to_user=customer, to_address=customer.email, context=MILESTONE)
    mail.appeal = register(mailable)

    with translation.override("id"):
        render_mail(mail)
        assert translation.get_language() == "id"


def test_the_outcome_in_the_closing_mail_is_said_in_english(mailable):
    from banding.sop.definition import VERDICT_TOLD, Verdict

    customer = mailable.customer
    _english(customer)
    told = VERDICT_TOLD[Verdict.PARTLY]
    mail = Mail(
        kind="milestone",
        to_user=customer,
        to_address=customer.email,
        appeal=register(mailable),
        context={
            **MILESTONE,
            "stage_label": "Selesai",
            "told": "Keputusan banding telah disampaikan kepada Anda; berkas diarsipkan.",
            "outcome": {
                "sentence": f"Permohonan banding Anda {told.words}.",
                "words": told.words,
                "reasons": "Sampel arsip diuji ulang.",
                "remedy": "Penerbitan ulang laporan.",
                "next": told.next,
                "letters": [],
            },
        },
    )

    text = render_mail(mail).text

    assert "Your appeal has been partly upheld." in text
    assert "the part upheld; the PJTK staff will contact you" in text
    assert "Sampel arsip diuji ulang." in text  # the staff's own words stay as written
