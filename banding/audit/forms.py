"""The filters of the audit log (a GET form): a report period (banding.reports.period_forms),
an appeal number, an actor's username, an action or every action of one object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.audit.actions import Action
from banding.audit.selectors import LogFilters
from banding.reports.period_forms import PeriodForm, PeriodKind

STEP_EVENTS = "step"
NO_APPEAL = "-"


def action_choices() -> list[tuple[str, str]]:
    """Every action, after an entry for all the actions of its object ("account": every
    `account.*`); the SOP steps' events as one entry."""
    objects: dict[str, list[str]] = {}
    for action in sorted(Action):
        objects.setdefault(action.value.split(".")[0], []).append(action.value)
    choices: list[tuple[str, str]] = [
        ("", gettext("Semua tindakan")),
        (STEP_EVENTS, gettext("step.* (langkah SOP)")),
    ]
    for name, actions in sorted(objects.items()):
        if len(actions) > 1 and name != STEP_EVENTS:  # step.* is listed first
            choices.append((name, gettext("%(name)s.* (semua)") % {"name": name}))
        choices.extend((action, action) for action in actions)
    return choices


class AuditLogForm(PeriodForm):
    banding = forms.CharField(
        label=_("Banding"),
        max_length=40,
        required=False,
        # “-” is NO_APPEAL.
        help_text=_("Nomor register; “-” untuk peristiwa tanpa banding."),
    )
    pelaku = forms.CharField(
        label=_("Pelaku"), max_length=150, required=False, help_text=_("Username.")
    )
    tindakan = forms.ChoiceField(
        label=_("Tindakan"),
        choices=action_choices,
        required=False,
        error_messages={"invalid_choice": _("Tidak ada tindakan %(value)s di log audit.")},
    )

    @classmethod
    def from_query(
        cls, query: Mapping[str, Any], *, default: str = PeriodKind.MONTH
    ) -> AuditLogForm:
        """Bound to the query string; when no period is chosen yet, the current month."""
        if "jenis" not in query:
            today = timezone.localdate()
            query = {
                **dict(query.items()),
                "jenis": default,
                "tahun": today.year,
                "bulan": today.month,
                "semester": 1 + (today.month > 6),
            }
        return cls(query, auto_id="log-%s")

    def clean_banding(self) -> Appeal | str | None:
        number = self.cleaned_data["banding"].strip()
        if not number:
            return None
        if number == NO_APPEAL:
            return NO_APPEAL
        appeal = Appeal.objects.filter(number__iexact=number).only("pk").first()
        if appeal is None:
            raise forms.ValidationError(
                gettext("Tidak ada banding bernomor %(number)s.") % {"number": number}
            )
        return appeal

    def clean_pelaku(self) -> User | None:
        username = self.cleaned_data["pelaku"].strip()
        if not username:
            return None
        user = User.objects.filter(username__iexact=username).only("pk").first()
        if user is None:
            raise forms.ValidationError(
                gettext("Tidak ada pengguna %(username)s.") % {"username": username}
            )
        return user

    def filters(self) -> LogFilters | None:
        """The filters, or None while any is wrong (the list is then not shown: an export
        must be of exactly what was asked)."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        period = self.period()
        appeal, actor = data.get("banding"), data.get("pelaku")
        return LogFilters(
            since=period.since,
            until=period.until,
            appeal_id=appeal.pk if isinstance(appeal, Appeal) else None,
            no_appeal=appeal == NO_APPEAL,
            actor_id=actor.pk if actor is not None else None,
            action=data.get("tindakan") or "",
        )
