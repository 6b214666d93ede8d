"""Appeals in the admin, read-only: an appeal changes only through the services
(banding.appeals.services), which check the SOP and write the audit event."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.admin import ReadOnlyAdmin, column
from banding.appeals.models import Appeal, Document, Note, PanelSeat, Step


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = Step
    fields = ("number", "actor", "started_at", "completed_at", "completed_by", "outcome")
    verbose_name = _("langkah")
    verbose_name_plural = _("langkah SOP")


class PanelSeatInline(ReadOnlyInline):
    model = PanelSeat
    fields = ("user", "role", "appointed_at", "declared_at")
    verbose_name = _("kursi panel")
    verbose_name_plural = _("Tim Panel Banding")


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "step", "original_name", "content_type", "size", "uploaded_at")
    verbose_name = _("dokumen")
    verbose_name_plural = _("dokumen")


# column() takes a plain str (banding.accounts.admin): the headers are marked, not lazy.
@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "organization",
        "service_type",
        "received_at",
        column("status", N_("status")),
        column("current_step", N_("langkah")),
        "technical_team",
    )
    list_filter = ("status", "current_step", "service_type", "channel", "technical_team")
    search_fields = ("number", "organization__name", "complaint_reference", "reference_document")
    list_select_related = ("organization", "technical_team")
    inlines = [StepInline, PanelSeatInline, DocumentInline]


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    list_display = (
        column("appeal", N_("banding")),
        column("number", N_("langkah")),
        column("actor", N_("pelaksana")),
        column("started_at", N_("mulai")),
        column("completed_at", N_("selesai")),
        column("outcome", N_("hasil")),
    )
    list_filter = ("number", "actor", "outcome")
    search_fields = ("appeal__number",)
    list_select_related = ("appeal",)


@admin.register(PanelSeat)
class PanelSeatAdmin(ReadOnlyAdmin):
    list_display = (
        column("appeal", N_("banding")),
        column("user", N_("anggota")),
        column("role", N_("peran")),
        column("appointed_at", N_("ditunjuk")),
        "declared_at",
    )
    list_filter = ("role",)
    search_fields = ("appeal__number", "user__username", "user__first_name", "user__last_name")
    list_select_related = ("appeal", "user")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = (
        column("original_name", N_("nama berkas")),
        column("appeal", N_("banding")),
        column("kind", N_("jenis")),
        column("step", N_("langkah")),
        column("size", N_("ukuran (bita)")),
        column("uploaded_at", N_("diunggah")),
    )
    list_filter = ("kind", "step")
    search_fields = ("appeal__number", "original_name", "sha256")
    list_select_related = ("appeal",)
    # The file is served only by the appeal's document view, which checks who may see it.
    exclude = ("file",)


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = (
        column("appeal", N_("banding")),
        column("kind", N_("jenis")),
        column("occurred_at", N_("waktu")),
        column("author", N_("penulis")),
    )
    list_filter = ("kind",)
    search_fields = ("appeal__number", "text")
    list_select_related = ("appeal", "author")
