"""The letter forms: the written parts of a kind, and a correction with its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banding.appeals.forms.base import BootstrapForm
from banding.letters.kinds import KindSpec


class OneLineField(forms.CharField):
    """A one-line part (the Perihal) that may be longer than an input is wide: written in a
    box of two rows that wraps its text, kept as one line (line breaks become spaces)."""

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("widget") is None:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "class": "satu-baris"})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return " ".join(str(super().to_python(value)).split())


class PartsForm(BootstrapForm):
    """One field per part of the kind (kinds.SPECS); required parts may stay empty in a draft
    and are checked when the letter is issued."""

    def __init__(self, *args: Any, kind: KindSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part in kind.parts:
            field = forms.CharField if part.multiline else OneLineField
            self.fields[part.name] = field(
                label=part.label + ("" if part.required else " (opsional)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}) if part.multiline else None,
                max_length=10000,
                help_text=(
                    _("Wajib diisi sebelum surat diterbitkan; draf boleh disimpan tanpa isian ini.")
                    if part.required
                    else ""
                ),
            )
        self.style_fields()


class CorrectionForm(PartsForm):
    def __init__(self, *args: Any, kind: KindSpec, **kwargs: Any) -> None:
        super().__init__(*args, kind=kind, **kwargs)
        self.fields = {
            "reason": forms.CharField(
                label=_("Alasan koreksi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
            ),
            **self.fields,
        }
        self.style_fields()


class VerifyForm(BootstrapForm):
    berkas = forms.FileField(label=_("Berkas PDF surat"))


class IssueForm(BootstrapForm):
    """Signing is confirmed with the signer's own password (re-authentication)."""

    password = forms.CharField(
        label=_("Kata sandi Anda"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Menerbitkan berarti menandatangani surat ini secara elektronik."),
        error_messages={"required": _("Masukkan kata sandi Anda untuk menandatangani.")},
    )


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Alasan pencabutan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
