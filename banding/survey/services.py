"""The customer's answer to the satisfaction survey: the only code that writes
SurveyResponse rows."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import is_customer
from banding.appeals import access
from banding.appeals.models import Appeal, Status
from banding.appeals.services.shared import locked
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid, NotFound
from banding.formats import format_instant
from banding.sop.definition import Actor
from banding.survey.elements import BY_CODE, ELEMENTS, SCORES
from banding.survey.models import SurveyResponse

CLOSED = (Status.CLOSED, Status.REJECTED)
COMMENT_MAX = 2000
NOT_CUSTOMER = N_("Survei kepuasan diisi oleh pelanggan yang mengajukan banding ini.")


def _may_answer(user: User, appeal: Appeal) -> None:
    if not access.plays(user, appeal, Actor.PEL):
        if is_customer(user):  # another organisation's appeal does not exist for them
            raise NotFound(N_("Banding tidak ditemukan."))
        raise Forbidden(NOT_CUSTOMER, code="not_your_role")
    if appeal.status not in CLOSED:
        raise Conflict(
            _("Survei kepuasan dapat diisi setelah banding %(number)s selesai.")
            % {"number": appeal.number},
            code="appeal_open",
        )
    done = SurveyResponse.objects.filter(appeal=appeal).values_list("submitted_at", flat=True)
    if done:
        raise Conflict(
            _("Survei kepuasan banding %(number)s sudah diisi pada %(when)s; terima kasih.")
            % {"number": appeal.number, "when": format_instant(done[0], pukul=True)},
            code="already_answered",
        )


def clean_scores(scores: dict[str, Any]) -> dict[str, int]:
    """The nine scores, each an integer 1-4; every problem named on its element."""
    problems: dict[str, list[str]] = {}
    unknown = sorted(str(k) for k in scores if k not in BY_CODE)
    if unknown:
        problems["scores"] = [
            _("Unsur survei tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
    clean: dict[str, int] = {}
    for element in ELEMENTS:
        value = scores.get(element.code)
        name = _("Nilai %(code)s (%(name)s)") % {
            "code": element.code.upper(),
            "name": _(element.name),
        }
        if value is None or value == "":
            problems[element.code] = [_("%(name)s wajib dipilih.") % {"name": name}]
        elif isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
            problems[element.code] = [_("%(name)s harus 1, 2, 3 atau 4.") % {"name": name}]
        else:
            clean[element.code] = value
    if problems:
        message = " ".join(m for messages in problems.values() for m in messages)
        raise Invalid(message, code="invalid_scores", fields=problems)
    return clean


def survey_answer(
    *, appeal: Appeal, user: User, scores: dict[str, Any], comment: str = ""
) -> SurveyResponse:
    """The customer of a closed (archived or rejected) appeal answers its survey, once."""
    comment = (comment or "").strip()
    with transaction.atomic():
        appeal = locked(appeal)  # two answers at once queue here; the second is refused
        _may_answer(user, appeal)
        clean = clean_scores(scores)
        if len(comment) > COMMENT_MAX:
            message = _("Saran dan komentar paling banyak %(max)s karakter.") % {"max": COMMENT_MAX}
            raise Invalid(message, fields={"comment": [message]})
        response = SurveyResponse.objects.create(
            appeal=appeal, respondent=user, comment=comment, submitted_at=timezone.now(), **clean
        )
        # The scores stay out of the event: the timeline is read by the staff being rated.
        record(
            action=Action.SURVEY_ANSWERED,
            summary="Pelanggan mengisi Survei Kepuasan Masyarakat",
            actor=user,
            appeal=appeal,
            data={"response": str(response.public_id)},
            public=True,
        )
    return response
