"""The similar earlier appeals of steps 3 and 9 on their forms: the ones shown, to tick those
considered, and the confirmation the service requires while any is shown."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.appeals import similar

CONFIRM = N_("Banding serupa sebelumnya di atas sudah saya/kami pertimbangkan")


class SimilarFields(forms.Form):
    """Adds `similar_considered` and `similar_confirmed` when the appeal has similar closed
    appeals (similar.similar_to: five queries); none otherwise. Only what the similar card
    shows is listed (number, customer, outcome, why alike): no link to a file the user may
    not open."""

    def add_similar_fields(self, appeal: Any, initial: dict | None = None) -> None:
        self.similar = similar.similar_to(appeal)
        if not self.similar:
            return
        self.fields["similar_considered"] = forms.MultipleChoiceField(
            label=_("Banding serupa sebelumnya yang dipertimbangkan"),
            choices=[
                (
                    str(s.appeal.public_id),
                    _("%(number)s — %(customer)s — %(outcome)s (mirip karena: %(reasons)s)")
                    % {
                        "number": s.appeal.number,
                        "customer": s.appeal.organization.name,
                        "outcome": s.outcome,
                        "reasons": ", ".join(s.reasons),
                    },
                )
                for s in self.similar
            ],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_(
                "Centang banding serupa yang dipertimbangkan; hasilnya menjadi bagian "
                "dari catatan langkah ini."
            ),
        )
        self.fields["similar_confirmed"] = forms.BooleanField(label=_(CONFIRM), required=False)
        if initial:
            self.initial.setdefault("similar_considered", initial.get("considered", []))
            self.initial.setdefault("similar_confirmed", initial.get("confirmed", False))


def similar_kwargs(d: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments from a form's cleaned data."""
    return {
        "similar_considered": d.get("similar_considered") or [],
        "similar_confirmed": bool(d.get("similar_confirmed")),
    }
