"""One helper renders every e-mail: `notifications/email/<kind>-subject.txt`, `-body.txt`
and `-body.html`, from the outbox row's context plus `user`, `appeal`, `notification`,
`public_url` and, for the account kinds, `link` with a token made now, at sending time
(a token is never stored in the outbox; a retried mail carries a fresh one)."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from banding.accounts.language import mail_language
from banding.appeals.notices import Kind
from banding.notifications.links import account_url
from banding.notifications.models import Mail

TEMPLATE_DIR = "notifications/email"


class PermanentMailError(Exception):
    """A mail that no retry can send (no template, no account for an account link)."""


@dataclass(frozen=True)
class AccountLink:
    route: str  # the portal's route, taking (uidb64, token)
    token_generator: str  # dotted path, imported at sending time


ACCOUNT_LINKS: dict[str, AccountLink] = {
    # /portal/akun/atur-sandi/<uidb64>/<token>/
    "account_invite": AccountLink(
        "portal:password_set", "django.contrib.auth.tokens.default_token_generator"
    ),
    # /portal/akun/verifikasi/<uidb64>/<token>/
    "account_verify": AccountLink(
        "portal:verify_email", "banding.accounts.tokens.email_verification_token"
    ),
    # /portal/akun/sandi/<uidb64>/<token>/
    "password_reset": AccountLink(
        "portal:password_reset_confirm", "django.contrib.auth.tokens.default_token_generator"
    ),
}


# The mails a customer (or a registrant) reads, in the language of the account they go to
# (Indonesian for a contact address with no account); every other kind is staff mail, in
# Indonesian. A password reset goes to staff too: their accounts store no language.
CUSTOMER_MAIL_KINDS = frozenset(
    {Kind.MILESTONE.value, Kind.PANEL_INVITATION.value, "password_reset"}
    | {kind for kind in ACCOUNT_LINKS}
    | {"account_confirmed", "account_rejected"}
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def account_link(mail: Mail) -> str | None:
    """The absolute link with a fresh token for an account kind; None for other kinds."""
    spec = ACCOUNT_LINKS.get(mail.kind)
    if spec is None:
        return None
    if mail.to_user is None:
        raise PermanentMailError(f"Surel {mail.kind} memerlukan akun penerima.")
    generator = import_string(spec.token_generator)
    uidb64 = urlsafe_base64_encode(force_bytes(mail.to_user.pk))
    return account_url(spec.route, uidb64, generator.make_token(mail.to_user))


def recipient_name(mail: Mail) -> str:
    """How the mail greets: the account's name, the appeal's contact person when it goes to
    the contact's address, else "Bapak/Ibu"."""
    if mail.to_user is not None:
        return mail.to_user.display_name
    appeal = mail.appeal
    if appeal is not None and appeal.contact_email.strip().lower() == mail.to_address.lower():
        return appeal.contact_name
    return gettext("Bapak/Ibu")


def mail_context(mail: Mail) -> dict[str, Any]:
    context = {
        **(mail.context or {}),
        "recipient_name": recipient_name(mail),
        "institute": settings.BANDING_INSTITUTE_NAME,
        "user": mail.to_user,
        "appeal": mail.appeal,
        "notification": mail.notification,
        "to_address": mail.to_address,
        "public_url": settings.BANDING_PUBLIC_URL.rstrip("/"),
    }
    link = account_link(mail)
    if link is not None:
        context["link"] = link
    return context


def language_of(mail: Mail) -> str:
    """The language `mail` is written in, whatever locale the worker process runs with."""
    return mail_language(mail.to_user, customer=mail.kind in CUSTOMER_MAIL_KINDS)


def render_mail(mail: Mail) -> Rendered:
    base = f"{TEMPLATE_DIR}/{mail.kind}"
    with translation.override(language_of(mail)):
        context = mail_context(mail)
        subject = _render(f"{base}-subject.txt", context, autoescape=False)
        text = _render(f"{base}-body.txt", context, autoescape=False)
        html = _render(f"{base}-body.html", context, autoescape=True)
    # A header is one line: the template's line breaks and indentation are not the subject's.
    return Rendered(subject=" ".join(subject.split())[:255], text=text.strip() + "\n", html=html)


def _render(name: str, context: dict[str, Any], *, autoescape: bool) -> str:
    try:
        found = get_template(name)
    except (TemplateDoesNotExist, TemplateSyntaxError) as error:
        raise PermanentMailError(f"Templat surel {name} tidak dapat dipakai: {error}") from error
    # The Django backend's template: its own Template renders with a Context (autoescape set).
    assert isinstance(found, DjangoTemplate), f"{name}: not a Django template"
    template = found.template
    return template.render(Context(context, autoescape=autoescape))


def new_message_id() -> str:
    # The site's own host names the message, without the DNS lookup of the default.
    return make_msgid(domain=urlparse(settings.BANDING_PUBLIC_URL).hostname or "sibanding")


def build_message(mail: Mail, rendered: Rendered) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_address],
        headers={"Message-ID": mail.message_id, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
