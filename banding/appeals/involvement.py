"""Who took part in the activity an appeal is about (ISO/IEC 17025 7.9.6, 17065 7.13,
17021-1 9.7): nobody of them may decide the appeal, sit on its panel or sign its deciding
letters.

Step 2 answers the question, always: the institute's people (users), the names of outsiders,
the technical team whose work is appealed, or an explicit "tidak ada pihak terlibat" with its
reason. The members of the appealed team count as involved unless the Ketua Tim PJTK records
why not (`services.involvement.team_exempt`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import TechnicalTeam, User
from banding.appeals.models import Appeal
from banding.errors import Invalid

MISSING = N_(
    "Langkah 2 wajib menjawab siapa yang terlibat dalam kegiatan atau keluhan semula: pilih "
    "pegawai, tuliskan nama pihak luar, pilih tim teknis yang hasil kerjanya dibanding, atau "
    "nyatakan 'tidak ada pihak terlibat' beserta alasannya."
)
BOTH = N_(
    "'Tidak ada pihak terlibat' tidak dapat dinyatakan bersama pihak terlibat yang disebut: "
    "pilih salah satu."
)
PERSON = N_("terlibat dalam kegiatan atau keluhan semula")


def check_answer(
    *,
    persons: Sequence[User],
    outsiders: str,
    none_reason: str,
    team: TechnicalTeam | None,
) -> None:
    """Refuse step 2 without an answer, with both answers, or naming a customer's account as
    one of the institute's people."""
    for person in persons:
        if person.organization_id is not None:
            raise Invalid(
                N_("Pihak terlibat harus pegawai Balai."),
                fields={"involved_persons": [N_("Pihak terlibat harus pegawai Balai.")]},
            )
    named = bool(persons) or bool(outsiders.strip()) or team is not None
    if named and none_reason.strip():
        raise Invalid(BOTH, code="involvement_conflict", fields={"no_involved_reason": [BOTH]})
    if not named and not none_reason.strip():
        raise Invalid(MISSING, code="involvement_missing", fields={"involved_persons": [MISSING]})


def involved(appeal: Appeal, *, persons: Iterable[int] | None = None) -> dict[int, str]:
    """The involved users' ids, each with why (in Indonesian): the persons recorded at step 2
    (`persons` when the caller has their ids, else one query) and the members of the appealed
    team unless exempted (one query)."""
    reasons: dict[int, str] = {}
    if appeal.appealed_team_id is not None and not appeal.team_exempt_reason:
        Members = TechnicalTeam.members.through
        for user_id, team in Members.objects.filter(
            technicalteam_id=appeal.appealed_team_id
        ).values_list("user_id", "technicalteam__name"):
            reasons[user_id] = gettext(
                "anggota %(team)s, tim teknis yang hasil kerjanya dibanding,"
            ) % {"team": team}
    if persons is None:
        Persons = Appeal.involved_persons.through
        persons = Persons.objects.filter(appeal_id=appeal.pk).values_list("user_id", flat=True)
    for user_id in persons:
        reasons[user_id] = gettext(PERSON)
    return reasons
