"""The survey's two forms: the customer's questionnaire (portal) and the period chosen on the
staff results page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from banding.appeals.forms.base import BootstrapForm, textarea
from banding.survey.elements import ELEMENTS
from banding.survey.services import COMMENT_MAX


class SurveyForm(BootstrapForm):
    """Nine questions, each with the regulation's four answers, and a comment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            field = forms.TypedChoiceField(
                # The regulation's words, in the customer's language (banding/locale).
                label=format_lazy("{}. {}", element.code.upper(), _(element.question)),
                choices=[(score, _(answer)) for score, answer in element.choices],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                help_text=_(element.name),
                error_messages={
                    "required": format_lazy(
                        _("Nilai {code} ({name}) wajib dipilih."),
                        code=element.code.upper(),
                        name=_(element.name),
                    ),
                    "invalid_choice": format_lazy(
                        _("Nilai {code} ({name}) harus 1, 2, 3 atau 4."),
                        code=element.code.upper(),
                        name=_(element.name),
                    ),
                },
            )
            self.fields[element.code] = field
        # The comment last, after the nine questions.
        self.fields["comment"] = self.fields.pop("comment")

    comment = forms.CharField(
        label=_("Saran dan komentar"),
        required=False,
        max_length=COMMENT_MAX,
        widget=textarea(4),
        help_text=_("Boleh dikosongkan."),
    )

    def scores(self) -> dict[str, int]:
        return {e.code: self.cleaned_data[e.code] for e in ELEMENTS}
