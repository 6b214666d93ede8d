"""The corrective actions' forms: add (and the follow-up of an ineffective one), complete,
check, and the list's filters. They parse; banding.corrective.services decides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.accounts.models import User
from banding.accounts.roles import INTERNAL_ROLES
from banding.appeals.forms.base import BootstrapForm, DateInput, textarea
from banding.corrective.models import Status
from banding.corrective.selectors import OVERDUE
from banding.corrective.services import MAX_DAYS, UNKNOWN_OWNER, Due

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def staff_users() -> QuerySet[User]:
    """The people an action may be given to: active institute accounts."""
    return (
        User.objects.filter(
            is_active=True, organization__isnull=True, groups__name__in=list(INTERNAL_ROLES)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OwnerField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=staff_users(),
            to_field_name="public_id",
            error_messages={"invalid_choice": UNKNOWN_OWNER},
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def _days_range() -> str:
    return gettext("Jumlah hari kerja antara 1 dan %(max)s.") % {"max": MAX_DAYS}


DAYS_RANGE = lazy(_days_range, str)()


DAYS_LABEL = _("Tenggat (hari kerja dari sekarang)")
DATE_LABEL = _("atau tanggal tenggat")


def days_field(label: StrOrPromise = DAYS_LABEL) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=MAX_DAYS,
        help_text=_("Diisi jumlah hari kerja, atau tanggal di bawah ini (salah satu)."),
        error_messages={
            "min_value": DAYS_RANGE,
            "max_value": DAYS_RANGE,
            "invalid": _("Jumlah hari kerja berupa bilangan bulat."),
        },
    )


def date_field(label: StrOrPromise = DATE_LABEL) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        help_text=_("Hari kerja; tenggatnya akhir jam kantor hari itu."),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )


class AddForm(BootstrapForm):
    description = forms.CharField(label=_("Uraian tindakan perbaikan"), widget=textarea(3))
    owner = OwnerField(label=_("Penanggung jawab"))
    due_days = days_field()
    due_date = date_field()

    def due(self) -> Due:
        return Due(days=self.cleaned_data.get("due_days"), on=self.cleaned_data.get("due_date"))

    def owner_id(self) -> str:
        return str(self.cleaned_data["owner"].public_id)


class CompleteForm(BootstrapForm):
    note = forms.CharField(label=_("Apa yang telah dikerjakan"), widget=textarea(3))


class CheckForm(BootstrapForm):
    effective = forms.TypedChoiceField(
        label=_("Hasil verifikasi keefektifan"),
        choices=[
            ("1", _("Efektif")),
            ("0", _("Tidak efektif (perlu tindakan perbaikan lanjutan)")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan verifikasi keefektifan"), widget=textarea(3))
    follow_up_description = forms.CharField(
        label=_("Tindakan lanjutan (bila tidak efektif)"), required=False, widget=textarea(2)
    )
    follow_up_owner = OwnerField(label=_("Penanggung jawab tindakan lanjutan"), required=False)
    follow_up_days = days_field(_("Tenggat tindakan lanjutan (hari kerja)"))
    follow_up_date = date_field(_("atau tanggal tenggat tindakan lanjutan"))

    def follow_up(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("effective", True):
            return None
        owner = data.get("follow_up_owner")
        return {
            "description": data.get("follow_up_description") or "",
            "owner": str(owner.public_id) if owner else None,
            "due": Due(days=data.get("follow_up_days"), on=data.get("follow_up_date")),
        }


STATUS_FILTERS = [("", _("Semua status")), *Status.choices, (OVERDUE, _("Terlambat (terbuka)"))]


class FilterForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    owner = OwnerField(label=_("Penanggung jawab"), required=False, empty_label=_("Semua"))
