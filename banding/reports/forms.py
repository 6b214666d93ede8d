"""The monitoring form's fields: per SOP step a penilaian, a catatan and a tindakan, named
`penilaian_3`, `catatan_3`, `tindakan_3`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from banding.appeals.forms.base import BootstrapForm
from banding.reports.models import Assessment
from banding.reports.monitoring import TEXT_MAX, FormRow
from banding.sop import definition as sop

FIELDS = ("penilaian", "catatan", "tindakan")


class MonitoringRowsForm(BootstrapForm):
    def __init__(self, *args: Any, rows: list[FormRow] | None = None, **kwargs: Any) -> None:
        if rows is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                f"{name}_{r.number}": getattr(r, name) for r in rows for name in FIELDS
            }
        super().__init__(*args, **kwargs)
        for s in sop.STEPS:
            n = s.number
            self.fields[f"penilaian_{n}"] = forms.ChoiceField(
                label=_("Penilaian langkah %(number)s") % {"number": n},
                choices=[("", _("— belum dinilai —")), *Assessment.choices],
                required=False,
            )
            self.fields[f"catatan_{n}"] = forms.CharField(
                label=_("Catatan hasil penilaian langkah %(number)s") % {"number": n},
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"tindakan_{n}"] = forms.CharField(
                label=_("Tindakan yang harus diambil langkah %(number)s") % {"number": n},
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self._apply_base_classes()

    def _apply_base_classes(self) -> None:
        # BootstrapForm styles the fields it finds in __init__; these are added after it.
        for field in self.fields.values():
            widget = field.widget
            kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{kind} {kind}-sm"

    def bound_rows(self) -> list[dict]:
        """Per step the three bound fields, for the template's table."""
        return [
            {"step": s, **{name: self[f"{name}_{s.number}"] for name in FIELDS}} for s in sop.STEPS
        ]

    def rows(self) -> dict[int, dict[str, str]]:
        data = self.cleaned_data
        return {s.number: {n: data.get(f"{n}_{s.number}", "") for n in FIELDS} for s in sop.STEPS}
