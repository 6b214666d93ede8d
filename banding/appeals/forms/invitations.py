"""The panel's invitation form (staff workspace). What each field must hold is checked by
banding.appeals.invitations.invitation_send, which says so in its own words."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from banding.appeals.forms.base import BootstrapForm, DateTimeLocalInput, textarea
from banding.appeals.models import InvitationMode


class InvitationForm(BootstrapForm):
    mode = forms.ChoiceField(
        label=_("Bentuk undangan"),
        choices=InvitationMode.choices,
        widget=forms.RadioSelect,
        initial=InvitationMode.MEETING,
    )
    meeting_at = forms.DateTimeField(
        label=_("Waktu pertemuan"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Untuk pertemuan (WIB)."),
    )
    place = forms.CharField(
        label=_("Tempat pertemuan"),
        required=False,
        max_length=200,
        help_text=_("Untuk pertemuan: ruang dan alamat, atau tautan rapat daring."),
    )
    respond_by = forms.DateTimeField(
        label=_("Batas jawaban"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=(
            _(
                "Wajib untuk penjelasan tertulis. Untuk pertemuan: batas konfirmasi kehadiran "
                "(boleh kosong)."
            )
        ),
    )
    message = forms.CharField(
        label=_("Pesan kepada pelanggan"),
        required=False,
        widget=textarea(3),
        help_text=_("Hal yang perlu dijelaskan pelanggan; dokumen yang perlu dibawa atau dikirim."),
    )
