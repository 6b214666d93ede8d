"""The letter forms: the written parts of a kind, and a correction with its reason."""

from __future__ import annotations

from typing import Any

from django import forms

from banding.appeals.forms.base import BootstrapForm
from banding.letters.kinds import KindSpec


class PartsForm(BootstrapForm):
    """One field per part of the kind (kinds.SPECS); required parts may stay empty in a draft
    and are checked when the letter is issued."""

    def __init__(self, *args: Any, kind: KindSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part in kind.parts:
            widget = forms.Textarea(attrs={"rows": 4}) if part.multiline else forms.TextInput()
            self.fields[part.name] = forms.CharField(
                label=part.label + ("" if part.required else " (opsional)"),
                required=False,
                widget=widget,
                max_length=10000,
            )
        self.style_fields()


class CorrectionForm(PartsForm):
    def __init__(self, *args: Any, kind: KindSpec, **kwargs: Any) -> None:
        super().__init__(*args, kind=kind, **kwargs)
        self.fields = {
            "reason": forms.CharField(
                label="Alasan koreksi", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
            ),
            **self.fields,
        }
        self.style_fields()


class VerifyForm(forms.Form):
    berkas = forms.FileField(label="Berkas PDF surat")


class IssueForm(BootstrapForm):
    """Signing is confirmed with the signer's own password (re-authentication)."""

    password = forms.CharField(
        label="Kata sandi Anda",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Menerbitkan berarti menandatangani surat ini secara elektronik.",
        error_messages={"required": "Masukkan kata sandi Anda untuk menandatangani."},
    )


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(
        label="Alasan pencabutan", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
