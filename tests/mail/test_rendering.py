"""One helper renders every kind from its three template files; account links carry a token
made when the mail is sent, never stored."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from banding.notifications.models import Mail, MailState
from banding.notifications.outbox import mail_enqueue
from banding.notifications.rendering import ACCOUNT_LINKS, mail_context, render_mail
from banding.notifications.tasks import Outcome, mail_deliver
from tests.factories import register

EMAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "banding/templates/notifications/email"
KINDS = sorted(p.name.removesuffix("-subject.txt") for p in EMAIL_TEMPLATES.glob("*-subject.txt"))
MINE = ["escalation", "milestone", "step_assigned", "step_at_risk", "step_overdue"]


def unsaved(kind: str, **fields) -> Mail:
    return Mail(kind=kind, to_address=fields.pop("to_address", "x@contoh.example"), **fields)


def test_every_kind_has_its_three_templates():
    assert set(MINE) <= set(KINDS)
    for kind in KINDS:
        for part in ("-body.txt", "-body.html"):
            assert (EMAIL_TEMPLATES / f"{kind}{part}").is_file(), f"{kind}{part}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_a_one_line_subject_a_text_and_an_html_body(mailable, kind):
    appeal = register(mailable)
    mail = unsaved(
        kind,
        to_user=mailable.customer,
        to_address=mailable.customer.email,
        appeal=appeal,
        context={"message": "Pesan <uji> & kawan.", "link": "http://127.0.0.1:8000/x/"},
    )

    rendered = render_mail(mail)

    assert rendered.subject and "\n" not in rendered.subject
    assert rendered.text.strip()
    assert "<html" in rendered.html and "</html>" in rendered.html
    assert "SiBanding" in rendered.text


@pytest.mark.parametrize("kind", ["step_assigned", "step_at_risk", "step_overdue", "escalation"])
def test_a_notice_mail_says_the_notice_and_links_the_appeal(mailable, kind):
    appeal = register(mailable)
    link = f"http://127.0.0.1:8000/banding/{appeal.public_id}/"
    mail = unsaved(
        kind,
        to_user=mailable.lead,
        appeal=appeal,
        context={"message": "Langkah 3 <terlambat> & x.", "link": link, "step": 3},
    )

    rendered = render_mail(mail)

    assert rendered.text.startswith("Yth. Ketua,\n\nLangkah 3 <terlambat> & x.\n")
    assert f"Buka banding {appeal.number}: {link}" in rendered.text
    assert "<p>Langkah 3 &lt;terlambat&gt; &amp; x.</p>" in rendered.html  # escaped in HTML
    assert f'<a href="{link}">Buka banding {appeal.number}</a>' in rendered.html
    assert rendered.text.rstrip().endswith("Surel ini dikirim otomatis; mohon tidak membalasnya.")


def test_the_subjects_of_the_notice_kinds(mailable):
    appeal = register(mailable)
    context = {"step": 3, "step_title": "Verifikasi kelengkapan dan relevansi"}
    subjects = {
        kind: render_mail(unsaved(kind, appeal=appeal, context=context)).subject
        for kind in ("step_assigned", "step_at_risk", "step_overdue", "escalation")
    }

    n = appeal.number
    assert subjects == {
        "step_assigned": (
            f"[SiBanding] Giliran Anda: langkah 3 (Verifikasi kelengkapan dan relevansi) "
            f"banding {n}"
        ),
        "step_at_risk": f"[SiBanding] Hampir jatuh tempo: banding {n}",
        "step_overdue": f"[SiBanding] Terlambat: banding {n}",
        "escalation": f"[SiBanding] Eskalasi keterlambatan: banding {n}",
    }


def test_the_milestone_mail_at_receipt_gives_the_number_and_the_receipt(mailable):
    appeal = register(mailable)
    mail = unsaved(
        "milestone",
        to_address="budi@kimia.example",
        appeal=appeal,
        context={
            "stage_label": "Diterima",
            "told": "Permohonan banding Anda telah kami terima.",
            "link": "http://127.0.0.1:8000/portal/banding/u/",
            "receipt_link": "http://127.0.0.1:8000/portal/banding/u/tanda-terima/",
            "survey_link": "",
        },
    )

    rendered = render_mail(mail)

    assert rendered.subject == f"[SiBanding] Banding {appeal.number}: Diterima"
    assert rendered.text.startswith(
        "Yth. Budi Santoso,\n\nPermohonan banding Anda telah kami terima.\n"
    )
    assert f"Nomor register  : {appeal.number}" in rendered.text
    assert "Keluhan semula  : KEL/2026/017" in rendered.text
    assert "elektronik: http://127.0.0.1:8000/portal/banding/u/tanda-terima/" in rendered.text
    assert "survei" not in rendered.text
    assert '<a href="http://127.0.0.1:8000/portal/banding/u/tanda-terima/">' in rendered.html


def test_the_final_milestone_mail_asks_for_the_survey(mailable):
    mail = unsaved(
        "milestone",
        appeal=register(mailable),
        context={
            "stage_label": "Selesai",
            "told": "Selesai.",
            "link": "L",
            "survey_link": "L#survei",
        },
    )

    rendered = render_mail(mail)

    assert "survei kepuasan pelanggan (Survei Kepuasan Masyarakat):\nL#survei" in rendered.text
    assert 'href="L#survei"' in rendered.html
    assert "tanda terima" not in rendered.text.lower()


def test_a_mail_to_an_unknown_address_greets_bapak_ibu(p):
    rendered = render_mail(unsaved("step_assigned", context={"message": "m", "link": "l"}))

    assert rendered.text.startswith("Yth. Bapak/Ibu,")


@pytest.mark.parametrize(
    ("kind", "path", "generator"),
    [
        ("account_invite", "/portal/akun/atur-sandi/{uid}/{token}/", "default"),
        ("account_verify", "/portal/akun/verifikasi/{uid}/{token}/", "verification"),
        ("password_reset", "/portal/akun/sandi/{uid}/{token}/", "default"),
    ],
)
def test_account_mails_link_with_a_token_made_when_sent(p, kind, path, generator):
    from banding.accounts.tokens import email_verification_token

    tokens = {"default": default_token_generator, "verification": email_verification_token}
    user = p.customer
    mail = unsaved(kind, to_user=user, context={})

    link = mail_context(mail)["link"]

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    parsed = urlparse(link)
    assert f"{parsed.scheme}://{parsed.netloc}" == "http://127.0.0.1:8000"
    prefix = path.split("{uid}")[0]
    assert parsed.path.startswith(f"{prefix}{uid}/")
    token = parsed.path.removeprefix(f"{prefix}{uid}/").strip("/")
    assert parsed.path == path.format(uid=uid, token=token)
    assert tokens[generator].check_token(user, token)
    assert set(ACCOUNT_LINKS) >= {kind}


def test_the_account_token_is_never_stored_and_a_retry_gets_a_fresh_one(p, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    user = p.customer
    user.email = "pelanggan@kimia.example"
    with transaction.atomic():
        mail = mail_enqueue(kind="account_invite", to_user=user, context={"org": "PT"})
    mail = Mail.objects.select_related("to_user").get(pk=mail.pk)

    first = mail_context(mail)["link"]
    time_machine.move_to(timezone.now() + timedelta(minutes=5), tick=False)
    second = mail_context(mail)["link"]

    assert first != second
    assert Mail.objects.get(pk=mail.pk).context == {"org": "PT"}


def test_an_account_mail_without_an_account_fails_for_good(db, mailoutbox):
    with transaction.atomic():
        mail = mail_enqueue(kind="password_reset", to_address="siapa@contoh.example")

    assert mail_deliver(mail.pk) == Outcome.FAILED

    mail.refresh_from_db()
    assert mail.state == MailState.FAILED
    assert mail.last_error == ("PermanentMailError: Surel password_reset memerlukan akun penerima.")
