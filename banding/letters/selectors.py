"""The letters of an appeal a user may see (banding.letters.visibility decides) and which
letters may be drafted now."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, is_internal
from banding.appeals.models import Appeal, Step
from banding.errors import NotFound
from banding.letters import visibility
from banding.letters.kinds import SPECS, KindSpec
from banding.letters.models import Letter, LetterStatus
from banding.prepared import Prepared
from banding.sop import definition as sop


def letters_of(appeal: Appeal, user: User) -> QuerySet[Letter]:
    """The appeal's letters this user may see (the rule: banding.letters.visibility)."""
    return visibility.letters(appeal, user)


def letter_for(user: User, appeal: Appeal, letter_id: UUID | str) -> Letter:
    letter = letters_of(appeal, user).filter(public_id=letter_id).first()
    if letter is None:
        raise NotFound(N_("Surat tidak ditemukan."))
    return letter


def draftable(
    appeal: Appeal, user: User, *, steps: Sequence[Step], letters: Sequence[Letter]
) -> list[KindSpec]:
    """The kinds this user may draft now, from the appeal's steps and letters in hand: those
    made at the step the appeal stands at, whose record (for a record-first step) asks for
    them, of which this occurrence has no live letter yet (kinds sent more than once, as an
    invitation, always)."""
    from banding.letters.services import may_draft

    if not is_internal(user) or not appeal.is_open:
        return []
    step = next((s for s in steps if s.completed_at is None), None)
    if step is None:
        return []
    s = sop.step(step.number)
    wanted = {o.key for o in s.required(step.recorded_outcome)} if step.recorded_outcome else set()
    live = {
        x.kind for x in letters if x.occurrence_id == step.pk and x.status != LetterStatus.WITHDRAWN
    }
    return [
        k
        for k in SPECS.values()
        if step.number in k.steps
        and not (s.record_first and k.step.number == s.number and k.kind.value not in wanted)
        and not (k.single and k.kind.value in live)
        and may_draft(user, appeal, k)
    ]


def card(
    appeal: Appeal, user: User, *, steps: Sequence[Step] | None = None
) -> dict[str, list[Letter] | list[KindSpec]]:
    """The "Surat" card of the appeal page: its letters (one query) and the kinds this user
    may draft now. `steps`: the appeal's steps, when the caller has them loaded (saves a
    query)."""
    letters = list(letters_of(appeal, user))
    if steps is None:
        steps = list(appeal.steps.all())
    return {
        "letters": letters,
        "letter_offers": draftable(appeal, user, steps=steps, letters=letters),
    }


def to_sign(user: User) -> QuerySet[Letter]:
    """Drafts waiting for this user's signature (Tugas saya): of kinds the user signs, as the
    official or on their behalf, on open appeals, for the step the appeal stands at. The
    panel's letters wait for its chair; a team's, for its members. Oldest first; read from
    the index of drafts (few among every letter ever issued)."""
    from banding.accounts.roles import ACTOR_ROLES, may_sit_on_panel, roles_of
    from banding.appeals.models import PanelRole, PanelSeat, Status
    from banding.sop.definition import Actor

    if not (user.is_authenticated and user.is_active) or not is_internal(user):
        return Letter.objects.none()
    roles = roles_of(user)
    plain: list[KindSpec] = []
    per_team: list[KindSpec] = []
    per_chair: list[KindSpec] = []
    for k in SPECS.values():
        for actor in filter(None, (k.signer.actor, k.signer.on_behalf)):
            if actor == Actor.TPB:
                if may_sit_on_panel(user):
                    per_chair.append(k)
            elif actor == Actor.TEK:
                if Role.TECHNICAL in roles:
                    per_team.append(k)
            elif ACTOR_ROLES.get(actor) in roles:
                plain.append(k)

    def at_its_step(kinds: list[KindSpec]) -> Q:
        condition = Q(pk__in=[])
        for k in kinds:
            condition |= Q(kind=k.kind.value, appeal__current_step__in=k.steps)
        return condition

    condition = at_its_step(plain)
    if per_team:
        condition |= at_its_step(per_team) & Q(appeal__technical_team__members=user)
    if per_chair:
        chair = PanelSeat.objects.seated().filter(
            appeal=OuterRef("appeal"), user=user, role=PanelRole.CHAIR
        )
        condition |= at_its_step(per_chair) & Q(Exists(chair))
    kinds = {k.kind.value for k in (*plain, *per_team, *per_chair)}
    if not kinds:
        return Letter.objects.none()
    return (
        Letter.objects.filter(status=LetterStatus.DRAFT, kind__in=kinds)
        .filter(condition, appeal__status=Status.OPEN)
        .select_related("appeal", "created_by")
        .order_by("created_at", "id")
        # What a row of the list shows, no more (Tugas saya, every request of the signer):
        # not the letter's fields and text, nor the appeal's grounds.
        .only(
            "public_id",
            "kind",
            "created_at",
            "appeal__public_id",
            "appeal__number",
            "created_by__username",
            "created_by__first_name",
            "created_by__last_name",
        )
    )


def to_sign_shape(user: User) -> Hashable:
    """What the SQL of to_sign(user) depends on besides the user's id: the roles, whether the
    account is active and an institute one (may_sit_on_panel, is_internal), and who signs
    each kind (settings.BANDING_LETTER_SIGNERS may change it)."""
    from banding.accounts.roles import roles_of

    return (
        roles_of(user),
        user.is_authenticated,
        user.is_active,
        getattr(user, "organization_id", None) is None,
        tuple(k.signer for k in SPECS.values()),
    )


TO_SIGN_SQL = Prepared(
    lambda user, now, limit: to_sign(user).values(
        *("pk", "public_id", "kind", "created_at", "appeal__public_id", "appeal__number"),
        *("created_by__username", "created_by__first_name", "created_by__last_name"),
    )[:limit]
)


def to_sign_rows(user: User, limit: int) -> list[dict]:
    """The first `limit` of to_sign(user) as dicts (Tugas saya, every request of a signer):
    its SQL compiled once per to_sign_shape (banding.prepared)."""
    return TO_SIGN_SQL.rows(user, to_sign_shape(user), limit)
