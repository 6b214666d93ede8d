"""Step 2 of an appeal submitted online: the staff PJTK check it and record who at the
institute was involved in the original activity (the customer cannot name them)."""

from __future__ import annotations

from django import forms

from banding.appeals import selectors
from banding.appeals.forms.base import textarea
from banding.appeals.forms.steps import StepForm
from banding.sop import definition as sop


class RecordForm(StepForm):
    involved_persons = forms.ModelMultipleChoiceField(
        label="Pegawai yang terlibat dalam kegiatan atau keluhan semula",
        queryset=selectors.staff_users(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=sop.IMPARTIALITY,
    )
    involved_note = forms.CharField(
        label="Pihak terlibat lainnya", widget=textarea(2), required=False
    )
