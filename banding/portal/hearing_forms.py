"""The customer's answer to a panel invitation (portal). What the answer must hold is
checked by banding.appeals.invitations.invitation_answer, in its own words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from banding.appeals.forms.base import BootstrapForm, MultipleFileField, textarea
from banding.appeals.models import InvitationMode, InvitationResponse, PanelInvitation
from banding.appeals.uploads import ACCEPTED


class AnswerForm(BootstrapForm):
    # Sent by the button pressed ("Konfirmasi hadir" / "Tidak dapat hadir") or, for a
    # written explanation, by the form's only button; never rendered as a field.
    response = forms.ChoiceField(
        choices=InvitationResponse.choices,
        error_messages={
            "required": _("Pilih jawaban undangan."),
            "invalid_choice": _("Pilih jawaban undangan."),
        },
    )
    note = forms.CharField(required=False, widget=textarea(4), max_length=5000)
    # The metaclass takes declared fields off the class, so BaseForm.files (the uploads) is not
    # shadowed at run time; the stubs see an override.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Berkas pendukung"),
        required=False,
        help_text=format_lazy("{}; {}.", _("Boleh lebih dari satu"), _(ACCEPTED)),
    )

    def __init__(self, *args: Any, invitation: PanelInvitation, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"undangan-{invitation.public_id}-%s")
        super().__init__(*args, **kwargs)
        note = self.fields["note"]
        if invitation.mode == InvitationMode.WRITTEN:
            note.label = _("Penjelasan tertulis")
        else:
            note.label = _("Catatan (boleh kosong)")
            note.help_text = _("Nama dan jabatan yang akan hadir, atau alasan tidak dapat hadir.")
            del self.fields["files"]
