import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The kinds of notice are the appeal services' vocabulary (banding.appeals.notices).
from banding.appeals.notices import Kind
from banding.notifications.links import portal_path
from banding.sop.definition import reached_by

# Notices addressed to the customer: they link to the portal, not to the staff workspace.
CUSTOMER_KINDS = frozenset(
    {Kind.MILESTONE, Kind.PANEL_INVITATION, Kind.APPEAL_WITHDRAWN, Kind.APPEAL_DUPLICATE}
)
# The deadline sweep's notices: in-app one per step, by e-mail only in a digest
# (banding.notifications.digests), never one mail per step.
DIGEST_KINDS = frozenset({Kind.STEP_AT_RISK, Kind.STEP_OVERDUE, Kind.ESCALATION})


class Cadence(models.TextChoices):
    # Reminders and overdue notices (and escalations to anyone but the head): at most once
    # per BANDING_DIGEST_WINDOW_MINUTES, within office hours.
    HOURLY = "hourly", _("Ringkasan tenggat")
    # Escalations to the Kepala Balai: once a working day at BANDING_DIGEST_HEAD_TIME.
    DAILY = "daily", _("Ringkasan eskalasi harian")


class Digest(models.Model):
    """One digest e-mail to one person: the deadline notices it claimed (Notification.digest)
    and the outbox row that delivers it, written in one transaction
    (banding.notifications.digests.digest_sweep)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("penerima"),
        db_index=False,  # served by digest_latest, which starts with it
    )
    cadence = models.CharField(_("irama"), max_length=10, choices=Cadence.choices)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    count = models.PositiveIntegerField(_("jumlah langkah"), default=0)
    mail = models.OneToOneField(
        "Mail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest",
        verbose_name=_("surel"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The last digest of a cadence to a person: when the next one may go.
            models.Index(fields=["recipient", "cadence", "-created_at"], name="digest_latest"),
        ]
        verbose_name = _("ringkasan")
        verbose_name_plural = _("ringkasan")

    def __str__(self) -> str:
        return f"{self.get_cadence_display()} → {self.recipient_id} ({self.count})"


class Notification(models.Model):
    """A notice to one user about one appeal. Written in the transaction of what it tells
    (banding.notifications.services.notify), so a committed change always has its notices and
    an aborted one none; every channel (the in-app list, e-mail through the outbox) reads
    these rows."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("penerima"),
        db_index=False,  # served by notification_inbox, which starts with it
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("banding"),
    )
    # The step the notice is about: the step opened (giliran), late (tenggat) or completed
    # (kemajuan: the step whose completion reached the milestone).
    step = models.ForeignKey(
        "appeals.Step",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("langkah"),
        db_index=False,  # served by notification_once_per_step, which starts with it
    )
    message = models.TextField(_("pesan"))
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    # A deadline notice waits for its person's next digest e-mail (digest_pending); the digest
    # that told it claims it (digest_pending false, digest set) in the digest's transaction.
    digest_pending = models.BooleanField(_("menunggu ringkasan"), default=False)
    digest = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("ringkasan"),
        db_index=False,  # notification_digest: the notices told by a digest only
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One notice of a kind per step and person, even when two sweeps race. Milestones
            # carry the step occurrence that reached them, so a decision returned at step 10
            # and taken again is told again, while one step is never told twice. (Kept
            # unconditional: notify() upserts ON CONFLICT over exactly these columns.)
            # Step first, so it serves the step's foreign key too: one index less for each
            # of the deadline sweep's few hundred thousand notices to be written into.
            models.UniqueConstraint(
                fields=["step", "recipient", "kind"], name="notification_once_per_step"
            ),
        ]
        indexes = [
            # The unread count of the navbar and the list of one user.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
            # What waits for a digest: small, whatever the size of the history.
            models.Index(
                fields=["recipient", "kind"],
                condition=models.Q(digest_pending=True),
                name="notification_digest_pending",
            ),
            # The notices a digest told (its mail, its deletion): none of the notices still
            # waiting, so a new notice is not written into it.
            models.Index(
                fields=["digest"],
                condition=models.Q(digest__isnull=False),
                name="notification_digest",
            ),
        ]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message[:60]}"

    @property
    def text(self) -> str:
        """The message in the active language. A milestone's is said again from the SOP's
        words (the stored message is Indonesian); any other is shown as stored."""
        if self.kind == Kind.MILESTONE and self.step is not None:
            milestone = reached_by(self.step.number, self.step.outcome)
            if milestone is not None:
                return gettext("Banding %(number)s — %(stage)s: %(told)s") % {
                    "number": self.appeal.number,
                    "stage": gettext(milestone.label),
                    "told": gettext(milestone.told),
                }
        return self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def url(self) -> str:
        """Where the notice leads: the portal page for the customer's notices, the staff
        appeal page for the others."""
        if self.kind in CUSTOMER_KINDS:
            return portal_path(self.appeal)
        return reverse("appeals:detail", args=[self.appeal.public_id])


class MailState(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class Mail(models.Model):
    """One e-mail in the outbox (banding.notifications.outbox). Written in the transaction of
    the action that causes it, with the task that delivers it; rendered from its template
    files and `context` only when the worker sends it, so a link with a token is never
    stored. `state` moves queued → sending (one worker's claim) → sent, or back to queued
    with a backoff when the mail server fails, or to failed after the last attempt."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("jenis"), max_length=40)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("penerima (akun)"),
    )
    to_address = models.EmailField(_("alamat tujuan"), max_length=254)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("banding"),
    )
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("notifikasi"),
    )
    context = models.JSONField(_("konteks"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    state = models.CharField(
        _("status"), max_length=10, choices=MailState.choices, default=MailState.QUEUED
    )
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    claimed_at = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    subject = models.CharField(_("subjek"), max_length=255, blank=True)
    # The plain text as it went out, kept for the record (the evidence pack shows it, not a
    # rendering of today's templates); empty for account mails, whose links carry a token.
    text = models.TextField(_("isi (teks) sebagaimana terkirim"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # What is ready to send (state, next_attempt_at) and what is stuck in sending.
            models.Index(fields=["state", "next_attempt_at"], name="mail_ready"),
            models.Index(fields=["state", "claimed_at"], name="mail_claimed"),
        ]
        verbose_name = _("surel")
        verbose_name_plural = _("surel")

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_address} ({self.get_state_display()})"
