"""Admin: the letterhead is edited here; letters are shown read-only (they change only through
banding.letters.services, and an issued letter never changes)."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from banding.accounts.admin import Audited
from banding.letters.models import Letter, Letterhead, LetterSequence


@admin.register(Letterhead)
class LetterheadAdmin(Audited, admin.ModelAdmin):
    list_display = ["institute", "city", "email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One letterhead is used (Letterhead.current): a second row would be ignored.
        return super().has_add_permission(request) and not Letterhead.objects.exists()


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Letter)
class LetterAdmin(ReadOnly):
    list_display = ["number", "kind", "appeal", "status", "version", "issued_at", "signer"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["number", "appeal__number", "verification_code"]
    list_select_related = ["appeal", "signer"]


@admin.register(LetterSequence)
class LetterSequenceAdmin(ReadOnly):
    list_display = ["kind", "year", "last"]
