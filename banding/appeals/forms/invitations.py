"""The panel's invitation form (staff workspace). What each field must hold is checked by
banding.appeals.invitations.invitation_send, which says so in its own words."""

from __future__ import annotations

from django import forms

from banding.appeals.forms.base import BootstrapForm, DateTimeLocalInput, textarea
from banding.appeals.models import InvitationMode


class InvitationForm(BootstrapForm):
    mode = forms.ChoiceField(
        label="Bentuk undangan",
        choices=InvitationMode.choices,
        widget=forms.RadioSelect,
        initial=InvitationMode.MEETING,
    )
    meeting_at = forms.DateTimeField(
        label="Waktu pertemuan",
        required=False,
        widget=DateTimeLocalInput(),
        help_text="Untuk pertemuan (WIB).",
    )
    place = forms.CharField(
        label="Tempat pertemuan",
        required=False,
        max_length=200,
        help_text="Untuk pertemuan: ruang dan alamat, atau tautan rapat daring.",
    )
    respond_by = forms.DateTimeField(
        label="Batas jawaban",
        required=False,
        widget=DateTimeLocalInput(),
        help_text=(
            "Wajib untuk penjelasan tertulis. Untuk pertemuan: batas konfirmasi kehadiran "
            "(boleh kosong)."
        ),
    )
    message = forms.CharField(
        label="Pesan kepada pelanggan",
        required=False,
        widget=textarea(3),
        help_text="Hal yang perlu dijelaskan pelanggan; dokumen yang perlu dibawa atau dikirim.",
    )
