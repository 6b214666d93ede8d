"""The survey's two forms: the customer's questionnaire (portal) and the period chosen on the
staff results page."""

from __future__ import annotations

from typing import Any

from django import forms

from banding.appeals.forms.base import BootstrapForm, textarea
from banding.survey.elements import ELEMENTS
from banding.survey.services import COMMENT_MAX


class SurveyForm(BootstrapForm):
    """Nine questions, each with the regulation's four answers, and a comment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            field = forms.TypedChoiceField(
                label=f"{element.code.upper()}. {element.question}",
                choices=element.choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                help_text=element.name,
                error_messages={
                    "required": f"Nilai {element.code.upper()} ({element.name}) wajib dipilih.",
                    "invalid_choice": (
                        f"Nilai {element.code.upper()} ({element.name}) harus 1, 2, 3 atau 4."
                    ),
                },
            )
            self.fields[element.code] = field
        # The comment last, after the nine questions.
        self.fields["comment"] = self.fields.pop("comment")

    comment = forms.CharField(
        label="Saran dan komentar",
        required=False,
        max_length=COMMENT_MAX,
        widget=textarea(4),
        help_text="Boleh dikosongkan.",
    )

    def scores(self) -> dict[str, int]:
        return {e.code: self.cleaned_data[e.code] for e in ELEMENTS}
