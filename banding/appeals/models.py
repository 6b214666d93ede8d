import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import CustomerOrganization, TechnicalTeam
from banding.sop.definition import ACTOR_LABELS, Actor, Verdict, step_choices


class Channel(models.TextChoices):
    EMAIL = "email", N_("Email")
    COURIER = "courier", N_("Ekspedisi")
    IN_PERSON = "in_person", N_("Langsung")
    PORTAL = "portal", N_("Portal pelanggan")


class ServiceType(models.TextChoices):
    TESTING = "pengujian", N_("Pengujian")
    CALIBRATION = "kalibrasi", N_("Kalibrasi")
    CERTIFICATION = "sertifikasi", N_("Sertifikasi")
    INSPECTION = "inspeksi", N_("Inspeksi")
    PT_TESTING = "up_pengujian", N_("Uji profisiensi pengujian")
    PT_CALIBRATION = "up_kalibrasi", N_("Uji profisiensi kalibrasi")
    OTHER = "lainnya", N_("Lainnya")


class Status(models.TextChoices):
    OPEN = "open", N_("Berjalan")
    REJECTED = "rejected", N_("Ditolak (tidak relevan)")
    CLOSED = "closed", N_("Selesai")
    # Ended before the SOP's end (services.ending): neither a decision nor a rejection.
    WITHDRAWN = "withdrawn", N_("Dicabut")
    DUPLICATE = "duplicate", N_("Ditutup (duplikat)")


# The panel's decision (step 9): the SOP definition's verdicts as model choices.
# django-stubs types the functional API with plain values only, not (value, label) pairs.
Decision = models.TextChoices("Decision", [(v.name, (v.value, v.label)) for v in Verdict])  # type: ignore[call-overload]


ActorChoices = models.TextChoices(  # type: ignore[call-overload]  # as Decision above
    "ActorChoices", [(a.name, (a.value, ACTOR_LABELS[a])) for a in Actor]
)


class RegisterSequence(models.Model):
    """The last register number given in a year; locked while a number is taken, so numbers
    are unique and gapless (a rolled-back intake rolls its increment back too)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Appeal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("nomor register"), max_length=40, unique=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()

    organization = models.ForeignKey(
        CustomerOrganization,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("organisasi pelanggan"),
        # appeal_customer_order and appeal_register_search begin with it.
        db_index=False,
    )
    contact_name = models.CharField(_("narahubung"), max_length=150)
    contact_email = models.EmailField(_("email narahubung"), blank=True)
    contact_phone = models.CharField(_("telepon narahubung"), max_length=50, blank=True)
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("diterima"))

    complaint_reference = models.CharField(_("nomor keluhan"), max_length=100)
    complaint_outcome_date = models.DateField(_("tanggal hasil penanganan keluhan"))
    service_type = models.CharField(_("jenis layanan"), max_length=20, choices=ServiceType.choices)
    reference_document = models.CharField(
        _("nomor dokumen acuan"),
        max_length=100,
        blank=True,
        help_text=_("Nomor laporan hasil uji, sertifikat, dsb."),
    )
    grounds = models.TextField(_("alasan banding"))
    remedy_sought = models.TextField(_("penyelesaian yang diminta"))
    involved_persons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="involved_in_appeals",
        verbose_name=_("pihak yang terlibat"),
    )
    involved_note = models.TextField(_("pihak terlibat lainnya"), blank=True)  # outsiders by name
    # Step 2's answer is required (appeals.involvement): the persons above, outsiders named in
    # involved_note, the team whose work is appealed, or this reason that nobody was involved.
    no_involved_reason = models.TextField(_("alasan tidak ada pihak terlibat"), blank=True)
    appealed_team = models.ForeignKey(
        TechnicalTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appealed_work",
        verbose_name=_("tim teknis yang hasil kerjanya dibanding"),
    )
    # Its members are involved unless the Ketua Tim PJTK records why not.
    team_exempt_reason = models.TextField(
        _("alasan anggota tim teknis tidak dianggap terlibat"), blank=True
    )
    team_exempt_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team_exempt_at = models.DateTimeField(null=True, blank=True)

    # Step 3
    relevant = models.BooleanField(_("relevan"), null=True)
    relevance_reasons = models.TextField(_("alasan relevansi"), blank=True)
    technical_team = models.ForeignKey(
        TechnicalTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("tim teknis"),
    )
    # Steps 9-10
    decision = models.CharField(_("keputusan"), max_length=20, choices=Decision.choices, blank=True)
    decision_remedy = models.TextField(_("tindakan perbaikan/pemulihan"), blank=True)
    decision_approved_at = models.DateTimeField(_("disetujui Kepala Balai"), null=True, blank=True)
    # Steps 4 and 12
    delivered_at = models.DateTimeField(_("disampaikan"), null=True, blank=True)
    delivery_channel = models.CharField(
        _("saluran penyampaian"), max_length=20, choices=Channel.choices, blank=True
    )
    archive_cabinet = models.CharField(_("lemari"), max_length=50, blank=True)
    archive_box = models.CharField(_("boks"), max_length=50, blank=True)
    archive_folder = models.CharField(_("map"), max_length=50, blank=True)

    # Where the appeal stands, denormalised from its open Step for fast lists.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    current_step = models.PositiveSmallIntegerField(
        _("langkah sekarang"), null=True, blank=True, choices=step_choices()
    )
    current_actor = models.CharField(
        _("pelaksana sekarang"), max_length=3, choices=ActorChoices.choices, blank=True
    )
    current_since = models.DateTimeField(_("sejak"), null=True, blank=True)
    current_due_at = models.DateTimeField(_("jatuh tempo langkah sekarang"), null=True, blank=True)
    current_at_risk_at = models.DateTimeField(null=True, blank=True)
    # Who has taken the open step and since when (its Step.taken_by/taken_at, written with
    # them by services.claims and cleared when a step opens or the appeal ends): Tugas saya
    # reads the appeal alone.
    current_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    current_taken_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    # The total working time of an ended appeal: the sum of its steps' working minutes (every
    # occurrence; NULL when none was measured), written when it ends (services.shared.end), so
    # the reports' medians of totals read one column instead of summing steps per appeal.
    working_minutes = models.PositiveIntegerField(
        _("total waktu kerja (menit)"), null=True, blank=True
    )
    # Status.DUPLICATE: the appeal this one repeats (same organisation, itself no duplicate).
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplikat dari"),
    )

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="appeal_year_sequence"),
        ]
        indexes = [
            models.Index(fields=["status", "current_actor", "current_since"]),
            models.Index(fields=["status", "current_due_at"]),
            # Tugas saya: the open appeals by actor in the list's order, with what its views
            # and their counts test (taker, deadline, team), read from this index alone.
            models.Index(
                fields=[
                    *["status", "current_actor", "current_due_at", "current_since", "id"],
                    *["current_taken_by", "current_at_risk_at", "technical_team"],
                ],
                name="appeal_queue",
            ),
            # The open appeals at one step, the longest waiting first: the head's nota dinas
            # to acknowledge (step 5) and the register's step filter, without a sort.
            models.Index(
                fields=["status", "current_step", "current_since", "id"], name="appeal_at_step"
            ),
            # A customer's appeals newest first (the portal; similar appeals), ties by id.
            models.Index(fields=["organization", "created_at", "id"], name="appeal_customer_order"),
            models.Index(fields=["received_at"]),
            # The reports' "ended in the period", answered from the index alone.
            models.Index(fields=["closed_at", "status", "service_type"], name="appeal_ended"),
            # The register's order (newest first): its first page and every page after it.
            models.Index(fields=["created_at", "id"], name="appeal_register_order"),
            # A filtered register page in its order, without sorting what the filter keeps;
            # the trailing columns let a combined filter be counted from the index alone.
            models.Index(
                fields=["status", "created_at", "id", "service_type", "current_step"],
                name="appeal_status_order",
            ),
            models.Index(
                fields=["service_type", "created_at", "id", "status"], name="appeal_service_order"
            ),
            # The register's text search reads this narrow index rather than the wide rows.
            models.Index(
                fields=["organization", "number", "complaint_reference", "reference_document"],
                name="appeal_register_search",
            ),
            # The duplicate warning at intake: an organisation's open appeals of a complaint
            # reference, case-insensitively (services.duplicates).
            models.Index(
                "organization",
                Upper("complaint_reference"),
                "status",
                name="appeal_reference_status",
            ),
        ]
        verbose_name = _("banding")
        verbose_name_plural = _("banding")

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def open_step_number(self) -> int:
        """The step an open appeal is at (`current_step`, which a closed appeal has not)."""
        if self.current_step is None:
            raise ValueError(f"Banding {self.number} tidak memiliki langkah terbuka.")
        return self.current_step


class Step(models.Model):
    """One occurrence of an SOP step for an appeal. A step returned at step 10 opens a new
    occurrence of step 9; history is never rewritten."""

    # step_appeal_minutes (appeal, number, working_minutes) begins with it.
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="steps", db_index=False
    )
    number = models.PositiveSmallIntegerField(_("langkah"), choices=step_choices())
    actor = models.CharField(_("pelaksana"), max_length=3, choices=ActorChoices.choices)
    started_at = models.DateTimeField(_("mulai"))
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # step_completed_by_appeal (completed_by, appeal) begins with it.
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    outcome = models.CharField(_("hasil"), max_length=30, blank=True)
    # Working time (banding.appeals.deadlines): set when the step opens...
    due_at = models.DateTimeField(_("jatuh tempo"), null=True, blank=True)
    at_risk_at = models.DateTimeField(_("hampir jatuh tempo"), null=True, blank=True)
    # ...claimed by the deadline sweep, once each (a conditional update)...
    at_risk_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    head_escalation_due_at = models.DateTimeField(null=True, blank=True)  # sop.ladder's 2nd rung
    head_escalated_at = models.DateTimeField(null=True, blank=True)
    # ...and measured when it completes: the raw material of the SOP monitoring report.
    working_minutes = models.PositiveIntegerField(_("waktu kerja (menit)"), null=True, blank=True)
    within_standard = models.BooleanField(_("sesuai mutu baku"), null=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # A step whose letters are made from its own facts (sop Step.record_first) holds them here
    # while it is open: what its actor recorded, before the letters are issued and the step
    # completes with that outcome and data.
    recorded_outcome = models.CharField(_("hasil yang dicatat"), max_length=30, blank=True)
    recorded_data = models.JSONField(
        _("data yang dicatat"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    recorded_at = models.DateTimeField(_("dicatat"), null=True, blank=True)
    # step_recorded_by_appeal (recorded_by, appeal) begins with it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    taken_by = models.ForeignKey(  # one of those sharing the step has it (services.claims)
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", db_index=False
    )
    taken_at = models.DateTimeField(_("diambil"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            # At most one open occurrence per appeal: the database refuses a second.
            models.UniqueConstraint(
                fields=["appeal"],
                condition=models.Q(completed_at__isnull=True),
                name="one_open_step_per_appeal",
            ),
        ]
        indexes = [
            models.Index(fields=["number", "completed_at"]),
            # The SOP monitoring's figures per step for a period, read from the index alone.
            # Partial, so that the sweep's "still open" questions keep their own indexes.
            models.Index(
                fields=["completed_at", "number", "working_minutes", "within_standard"],
                condition=models.Q(completed_at__isnull=False),
                name="step_completed_figures",
            ),
            # The monitoring's "open and past due at the period's end" per step, from the
            # index alone (grouped by number, so the number leads).
            models.Index(
                fields=["number", "due_at", "started_at", "completed_at"],
                name="step_open_overdue",
            ),
            # An appeal's total working time (the reports) summed from the index alone, and
            # whether a given step of an appeal has completed (the letters a customer sees:
            # letters.visibility.delivered); without `number` here SQLite answered that from
            # (number, completed_at) across every appeal: 170 ms per portal page.
            models.Index(
                fields=["appeal", "number", "working_minutes"], name="step_appeal_minutes"
            ),
            # The appeals a user acted on (need to know: actors.part_of), from the index alone.
            models.Index(fields=["completed_by", "appeal"], name="step_completed_by_appeal"),
            models.Index(fields=["recorded_by", "appeal"], name="step_recorded_by_appeal"),
            # Open steps someone has taken (Tugas saya's "Saya kerjakan"): only those, so the
            # planner never prefers it to the sweep's partial indexes below.
            models.Index(
                fields=["taken_by"],
                condition=models.Q(completed_at=None, taken_by__isnull=False),
                name="step_taker",
            ),
            # The sweep's two questions, over open steps only.
            models.Index(
                fields=["at_risk_at"],
                condition=models.Q(completed_at__isnull=True, at_risk_notified_at__isnull=True),
                name="step_at_risk_pending",
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(completed_at__isnull=True, overdue_notified_at__isnull=True),
                name="step_overdue_pending",
            ),
            models.Index(  # ...and the ladder's second rung, due and not yet sent.
                fields=["head_escalation_due_at"],
                condition=models.Q(
                    completed_at=None, head_escalated_at=None, head_escalation_due_at__isnull=False
                ),
                name="step_head_escalation_pending",
            ),
        ]
        verbose_name = _("langkah")
        verbose_name_plural = _("langkah")

    def __str__(self) -> str:
        return f"{self.appeal_id} langkah {self.number}"

    @property
    def is_recorded(self) -> bool:
        """The open step's facts are recorded and wait for its outputs."""
        return self.completed_at is None and bool(self.recorded_outcome)


class PanelRole(models.TextChoices):
    CHAIR = "chair", N_("Ketua")
    MEMBER = "member", N_("Anggota")


class PanelSeatQuerySet(models.QuerySet):
    def seated(self) -> "PanelSeatQuerySet":
        """The seats that count: a seat vacated for a declared conflict of interest stays on
        the record (who, when, why) but no longer sits on the panel."""
        return self.filter(vacated_at__isnull=True)


class PanelSeat(models.Model):
    # The unique (appeal, user) begins with it.
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="panel_seats", db_index=False
    )
    # seat_user_appeal (user, appeal) begins with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="panel_seats",
        db_index=False,
    )
    role = models.CharField(_("peran"), max_length=10, choices=PanelRole.choices)
    appointed_at = models.DateTimeField(_("ditunjuk"))
    declared_at = models.DateTimeField(_("pernyataan benturan kepentingan"), null=True, blank=True)
    # The declaration's answer: False "tidak ada konflik", True "ada konflik" (described);
    # None until declared.
    conflict = models.BooleanField(_("ada benturan kepentingan"), null=True)
    conflict_description = models.TextField(_("uraian benturan kepentingan"), blank=True)
    # A declared conflict vacates the seat; the replacement's seat names the one it replaces.
    vacated_at = models.DateTimeField(_("dikosongkan"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("menggantikan"),
    )

    objects = PanelSeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("kursi panel")
        verbose_name_plural = _("kursi panel")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "user"], name="one_seat_per_person"),
            models.UniqueConstraint(
                fields=["appeal"],
                condition=models.Q(role="chair", vacated_at__isnull=True),
                name="one_chair_per_panel",
            ),
        ]
        indexes = [
            # The appeals a user sits on the panel of (need to know), from the index alone.
            models.Index(fields=["user", "appeal"], name="seat_user_appeal"),
            # The vacated seats (a conflict of interest declared): few among every seat ever
            # held, read first by the head's list of panels waiting for a replacement.
            models.Index(
                fields=["vacated_at"],
                condition=models.Q(vacated_at__isnull=False),
                name="seat_vacated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


# The panel's invitations to the customer (the note on SOP step 7), in a module of their own.
# The appeal's documents, in a module of their own (document_path: named by the migrations).
from banding.appeals.document_models import CUSTOMER_VISIBLE_KINDS as CUSTOMER_VISIBLE_KINDS  # noqa: E402
from banding.appeals.document_models import Document as Document  # noqa: E402
from banding.appeals.document_models import DocumentKind as DocumentKind  # noqa: E402
from banding.appeals.document_models import document_path as document_path  # noqa: E402
from banding.appeals.invitation_models import InvitationMode as InvitationMode  # noqa: E402
from banding.appeals.invitation_models import (  # noqa: E402
    InvitationResponse as InvitationResponse,
)
from banding.appeals.invitation_models import PanelInvitation as PanelInvitation  # noqa: E402

# The panel's notes of the investigation (step 7), in a module of their own.
from banding.appeals.note_models import Note as Note  # noqa: E402
from banding.appeals.note_models import NoteKind as NoteKind  # noqa: E402

# Kept in its own module (this one is long enough); imported here so that Django finds it.
from banding.appeals.staged import StagedUpload as StagedUpload  # noqa: E402
