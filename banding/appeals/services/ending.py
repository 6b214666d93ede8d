"""An appeal ended before the SOP's own end (step 4 or 12): withdrawn by the customer
(*pencabutan banding*: on the portal, or by a letter the staff record), or closed by the staff
as a duplicate of another appeal of the same organisation.

Neither is an outcome of a step: whichever step is open stops (completed with the ending as
its outcome, without a working time, so the SOP monitoring does not count it as a step done;
its deadlines and the sweep stop with it), the appeal ends with its own status
(Status.WITHDRAWN, Status.DUPLICATE), and the customer and the people who had the step are
told. Who ends an appeal for the institute: the Staff PJTK (who receive and record appeals,
step 2), the Ketua Tim PJTK (who verifies it, step 3) and the Kepala Balai.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role, is_customer
from banding.appeals import hooks, notices
from banding.appeals.actors import Players
from banding.appeals.models import Appeal, DocumentKind, Status, Step
from banding.appeals.services.shared import (
    COMPLETED_FIELDS,
    clean,
    end,
    fresh,
    locked,
    open_occurrence,
    require,
    store_document,
    write_file,
)
from banding.appeals.uploads import check_upload, files_removed_on_error
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid
from banding.formats import format_date
from banding.sop import definition as sop

ENDING_ROLES = (Role.PJTK_STAFF, Role.PJTK_LEAD, Role.HEAD)
NOT_ENDING_ROLE = gettext_noop(
    "Pencabutan dan penutupan sebagai duplikat dicatat oleh Staff PJTK, Ketua Tim PJTK atau "
    "Kepala Balai."
)
REASON_MAX = 2000


def may_end(user: User) -> bool:
    """Whether `user` may record a withdrawal or close an appeal as a duplicate for the
    institute (the page offers the forms by it; the services ask it again)."""
    return user.is_authenticated and user.is_active and has_role(user, *ENDING_ROLES)


def _require_staff(user: User) -> None:
    if not may_end(user):
        raise Forbidden(_(NOT_ENDING_ROLE), code="not_your_role")


def _require_open(appeal: Appeal) -> None:
    if appeal.status != Status.OPEN:
        raise Conflict(
            _("Banding %(number)s sudah %(status)s; tidak dapat dicabut atau ditutup lagi.")
            % {"number": appeal.number, "status": appeal.get_status_display().lower()},
            code="appeal_closed",
        )


def _reason(reason: str, *, required: bool) -> str:
    reason = clean(reason)
    if required:
        require(bool(reason), _("Alasan wajib diisi."), field="reason")
    require(
        len(reason) <= REASON_MAX,
        _("Alasan paling banyak %(max)d karakter.") % {"max": REASON_MAX},
        field="reason",
    )
    return reason


# --- withdrawal ----------------------------------------------------------------------------


def appeal_withdraw(*, appeal: Appeal, user: User, reason: str = "") -> Appeal:
    """The customer withdraws its own open appeal (the portal, the API), with an optional
    reason."""
    own = is_customer(user) and appeal.organization_id == user.organization_id
    if not (own and user.is_active):
        raise Forbidden(
            _("Banding hanya dapat dicabut oleh pelanggan yang mengajukannya."),
            code="not_your_role",
        )
    reason = _reason(reason, required=False)
    with transaction.atomic():
        appeal = locked(appeal)
        _require_open(appeal)
        data = {"reason": reason, "by": "customer", "channel": "portal"}
        _end(
            appeal,
            user=user,
            status=Status.WITHDRAWN,
            action=Action.APPEAL_WITHDRAWN,
            summary="Banding dicabut oleh pelanggan melalui portal"
            + (f": {reason}" if reason else ""),
            data=data,
        )
    return appeal


def withdrawal_record(
    *,
    appeal: Appeal,
    user: User,
    letter_date: date | None,
    reason: str = "",
    letter: UploadedFile | None = None,
) -> Appeal:
    """The staff record a withdrawal the customer sent by letter: the letter's date, the
    reason it gives (optional) and, optionally, the scanned letter (the same upload checks as
    every document; a customer-visible document of the appeal)."""
    _require_staff(user)
    _require_open(fresh(appeal))
    letter_date = _letter_date(appeal, letter_date)
    reason = _reason(reason, required=False)
    checked = check_upload(letter) if letter is not None else None
    with files_removed_on_error() as written:
        file = write_file(appeal.public_id, checked, written) if checked is not None else None
        with transaction.atomic():
            appeal = locked(appeal)
            _require_staff(user)
            _require_open(appeal)
            data: dict = {
                "reason": reason,
                "by": "letter",
                "letter_date": letter_date.isoformat(),
            }
            if file is not None:
                doc = store_document(
                    appeal,
                    file,
                    kind=DocumentKind.WITHDRAWAL_LETTER,
                    step=appeal.open_step_number,
                    user=user,
                )
                data["document"] = str(doc.public_id)
            _end(
                appeal,
                user=user,
                status=Status.WITHDRAWN,
                action=Action.APPEAL_WITHDRAWN,
                summary=(
                    f"Pencabutan banding oleh pelanggan dengan surat tanggal "
                    f"{format_date(letter_date)} dicatat" + (f": {reason}" if reason else "")
                ),
                data=data,
            )
    return appeal


def _letter_date(appeal: Appeal, letter_date: date | None) -> date:
    if letter_date is None:
        raise Invalid(
            _("Tanggal surat pencabutan wajib diisi."),
            fields={"letter_date": [_("Tanggal surat pencabutan wajib diisi.")]},
        )
    require(
        letter_date <= timezone.localdate(),
        _("Tanggal surat pencabutan tidak boleh di masa depan."),
        field="letter_date",
    )
    require(
        letter_date >= timezone.localdate(appeal.received_at),
        _("Tanggal surat pencabutan tidak boleh sebelum banding diterima."),
        field="letter_date",
    )
    return letter_date


# --- duplicate -----------------------------------------------------------------------------


def original_named(text: str) -> Appeal:
    """The original appeal a closure names: its public id or its register number."""
    text = clean(text)
    require(bool(text), _("Sebutkan banding aslinya (nomor register)."), field="original")
    try:
        found = Appeal.objects.filter(public_id=uuid.UUID(text)).first()
    except ValueError:
        found = Appeal.objects.filter(number__iexact=text).first()
    if found is None:
        message = _("Banding %(original)s tidak ditemukan.") % {"original": text}
        raise Invalid(message, code="not_found", fields={"original": [message]})
    return found


def appeal_close_duplicate(*, appeal: Appeal, user: User, original: Appeal, reason: str) -> Appeal:
    """The staff close an open appeal as a duplicate of `original`: another appeal of the
    same organisation that is itself no duplicate (a duplicate links to the appeal that is
    handled, never along a chain), with the reason."""
    _require_staff(user)
    reason = _reason(reason, required=True)
    with transaction.atomic():
        # Both rows locked in one order, so two closures crossing each other queue.
        rows = {
            a.pk: a
            for a in Appeal.objects.select_for_update()
            .filter(pk__in=[appeal.pk, original.pk])
            .order_by("pk")
        }
        appeal, original = rows[appeal.pk], rows.get(original.pk, original)
        _require_open(appeal)
        _check_original(appeal, original)
        appeal.duplicate_of = original
        _end(
            appeal,
            user=user,
            status=Status.DUPLICATE,
            action=Action.APPEAL_CLOSED_DUPLICATE,
            summary=f"Banding ditutup sebagai duplikat dari banding {original.number}: {reason}",
            data={
                "reason": reason,
                "original": str(original.public_id),
                "original_number": original.number,
            },
        )
    return appeal


def _check_original(appeal: Appeal, original: Appeal) -> None:
    def refuse(message: str, code: str) -> None:
        raise Invalid(message, code=code, fields={"original": [message]})

    if original.pk == appeal.pk:
        refuse(_("Banding tidak dapat menjadi duplikat dari dirinya sendiri."), "duplicate_self")
    if original.organization_id != appeal.organization_id:
        refuse(
            _("Banding asli harus milik organisasi pelanggan yang sama."),
            "duplicate_other_organization",
        )
    if original.status == Status.DUPLICATE:
        refuse(
            _("Banding %(number)s sendiri sudah ditutup sebagai duplikat; pilih banding aslinya.")
            % {"number": original.number},
            "duplicate_chain",
        )
    if appeal.duplicates.exists():
        refuse(
            _(
                "Banding %(number)s menjadi banding asli bagi duplikat lain; banding ini tidak "
                "dapat ditutup sebagai duplikat."
            )
            % {"number": appeal.number},
            "duplicate_chain",
        )


# --- what both share -----------------------------------------------------------------------


def _end(
    appeal: Appeal, *, user: User, status: Status, action: Action, summary: str, data: dict
) -> None:
    """Stop the open step, end the appeal with `status`, record the public event and tell
    the customer and the people who had the step (inside the caller's transaction, the
    appeal locked)."""
    now = timezone.now()
    step = open_occurrence(appeal, appeal.open_step_number)
    step.completed_at = now
    step.completed_by = user
    step.outcome = status.value
    step.data = data
    # Stopped, not done: no working time, so the monitoring's step figures leave it out.
    step.working_minutes = None
    step.within_standard = None
    step.save(update_fields=COMPLETED_FIELDS)
    end(appeal, status, now)
    appeal.save()
    hooks.figures_changed(since=now)
    record(
        action=action,
        summary=summary,
        actor=user,
        appeal=appeal,
        step=step.number,
        data=data,
        public=True,
    )
    _tell(appeal, step=step, user=user, data=data)


def _tell(appeal: Appeal, *, step: Step, user: User, data: dict) -> None:
    s = sop.step(step.number)
    if appeal.status == Status.WITHDRAWN:
        kind = notices.Kind.APPEAL_WITHDRAWN
        told = sop.WITHDRAWAL_TOLD
        staff_message = gettext_noop(
            "Banding %(number)s dicabut oleh pelanggan; langkah %(step)s (%(title)s) dihentikan."
        ) % {"number": appeal.number, "step": s.number, "title": s.title}
    else:
        kind = notices.Kind.APPEAL_DUPLICATE
        told = sop.DUPLICATE_TOLD
        staff_message = gettext_noop(
            "Banding %(number)s ditutup sebagai duplikat dari banding "
            "%(original_number)s; langkah %(step)s (%(title)s) dihentikan."
        ) % {
            "number": appeal.number,
            "original_number": data["original_number"],
            "step": s.number,
            "title": s.title,
        }
    original = data.get("original_number", "")
    customer_message = _("Banding %(number)s %(words)s. %(next)s") % {
        "number": appeal.number,
        "words": _(told.words),
        "next": _(told.next) % {"original": original} if original else _(told.next),
    }
    context = {
        "reason": data.get("reason", ""),
        "original_number": original,
        "letter_date": (
            format_date(date.fromisoformat(data["letter_date"])) if "letter_date" in data else ""
        ),
        "by": data.get("by", ""),
        "step": s.number,
        "step_title": s.title,
    }
    customers = User.objects.filter(
        organization_id=appeal.organization_id, is_active=True, groups__isnull=True
    ).values_list("pk", "email")
    accounts = list(customers)
    notices.notify(
        recipients=[pk for pk, _email in accounts],
        kind=kind,
        appeal=appeal,
        step=step,
        message=customer_message,
        mail_context=context,
    )
    contact = appeal.contact_email.strip()
    if contact and contact.lower() not in {e.strip().lower() for _pk, e in accounts}:
        notices.mail_contact(
            kind=kind, address=contact, appeal=appeal, message=customer_message, context=context
        )
    # The people who had the step (the one who ended it knows).
    had_it = Players([appeal]).of(step.actor, appeal) - {user.pk}
    if had_it:
        notices.notify(
            recipients=had_it,
            kind=notices.Kind.APPEAL_ENDED,
            appeal=appeal,
            step=step,
            message=staff_message,
            mail_context=context,
        )
