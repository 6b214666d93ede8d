"""Steps 5-6: the appeal panel proposed and appointed; its members' declarations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import may_sit_on_panel
from banding.appeals import access, involvement
from banding.appeals.models import (
    Appeal,
    PanelRole,
    PanelSeat,
)
from banding.appeals.services.recorded import register, settle
from banding.appeals.services.shared import (
    clean,
    locked,
    require,
)
from banding.errors import Invalid
from banding.sop.definition import Result


def check_size(count: int) -> None:
    """The panel's size: at least BANDING_PANEL_MIN_SIZE, and odd when BANDING_PANEL_ODD (a
    panel that decides by majority cannot tie)."""
    least = settings.BANDING_PANEL_MIN_SIZE
    require(
        count >= least,
        _("Tim Panel Banding paling sedikit %(least)s orang (dipilih %(count)s).")
        % {"least": least, "count": count},
        field="members",
    )
    require(
        count % 2 == 1 or not settings.BANDING_PANEL_ODD,
        _(
            "Jumlah anggota Tim Panel Banding harus ganjil agar keputusannya tidak "
            "seri (dipilih %(count)s)."
        )
        % {"count": count},
        field="members",
    )


def _check_panel(
    appeal: Appeal, members: Sequence[User], chair: User | None
) -> tuple[list[User], User]:
    """The members and the chair, once found fit to sit: nobody twice, one chair among them,
    every one able to sit and none involved, the size the settings ask."""
    unique = list(dict.fromkeys(members))
    require(bool(unique), N_("Pilih sedikitnya satu anggota panel."), field="members")
    if len(unique) != len(members):
        twice = sorted({m.display_name for m in members if members.count(m) > 1})
        message = _("Seorang anggota dipilih lebih dari sekali: %(names)s.") % {
            "names": ", ".join(twice)
        }
        raise Invalid(message, code="duplicate_seat", fields={"members": [message]})
    require(
        chair is not None and chair in unique,
        N_("Ketua panel harus salah satu anggota."),
        field="chair",
    )
    involved = involvement.involved(appeal)
    conflicted = {s.user_id for s in appeal.panel_seats.all() if s.conflict}
    for person in unique:
        require(
            may_sit_on_panel(person),
            _("%(name)s bukan pegawai yang dapat duduk di panel.") % {"name": person.display_name},
            field="members",
        )
        require(
            person.pk not in conflicted,
            _(
                "%(name)s menyatakan benturan kepentingan pada banding ini "
                "sehingga tidak dapat duduk di Tim Panel Banding."
            )
            % {"name": person.display_name},
            field="members",
            code="conflicted_person",
        )
        if person.pk in involved:
            raise Invalid(
                _(
                    "%(name)s %(involved)s sehingga tidak dapat duduk di Tim Panel "
                    "Banding (ISO/IEC 17025 7.9.6)."
                )
                % {"name": person.display_name, "involved": involved[person.pk]},
                code="involved_person",
                fields={"members": [N_("Pihak yang terlibat tidak dapat ditunjuk.")]},
            )
    check_size(len(unique))
    assert chair is not None  # refused above
    return unique, chair


def _panel_data(members: Sequence[User], chair: User) -> dict:
    return {
        "members": [str(m.public_id) for m in members],
        "chair": str(chair.public_id),
        "names": [m.display_name for m in members],
        "chair_name": chair.display_name,
    }


def panel_propose(
    *, appeal: Appeal, user: User, members: Sequence[User], chair: User | None, note: str = ""
) -> Appeal:
    """Step 5: the technical team records the panel it proposes after coordinating with the
    head; the usulan is made from that record, and the step completes when it is issued."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 5)
        unique, chosen = _check_panel(appeal, members, chair)
        data = {**_panel_data(unique, chosen), "note": clean(note)}
        settle(appeal, user=user, number=5, outcome=Result.PROPOSED, data=data)
    return appeal


def _proposed(data: dict) -> str:
    return "Usulan Tim Panel Banding: " + ", ".join(data["names"])


def panel_proposal(
    appeal: Appeal, *, people: Sequence[User] | None = None
) -> tuple[list[User], User | None]:
    """The members and chair of the latest proposal of step 5 (none before it). Read from
    the appeal's steps (prefetched by the appeal page: no query) and from `people` when the
    caller holds them (the panel candidates of the form), else one query for the users."""
    proposals = [s for s in appeal.steps.all() if s.number == 5 and s.completed_at is not None]
    step = max(proposals, key=lambda s: s.pk, default=None)
    if step is None:
        return [], None
    return _people_of(step.data, people)


def _people_of(data: dict, people: Sequence[User] | None = None) -> tuple[list[User], User | None]:
    wanted = {*data["members"], data["chair"]}
    found: Iterable[User] = (
        people if people is not None else User.objects.filter(public_id__in=wanted)
    )
    by_id = {str(u.public_id): u for u in found if str(u.public_id) in wanted}
    members = [by_id[i] for i in data["members"] if i in by_id]
    return members, by_id.get(data["chair"])


def panel_appoint(
    *, appeal: Appeal, user: User, members: Sequence[User], chair: User | None
) -> Appeal:
    """Step 6: the head records the panel appointed, changing the proposal if needed; the
    surat tugas is made from that record, and the panel is seated when the step completes."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 6)
        unique, chosen = _check_panel(appeal, members, chair)
        proposed, proposed_chair = panel_proposal(appeal)
        changed = set(proposed) != set(unique) or proposed_chair != chair
        data = {**_panel_data(unique, chosen), "changed": changed}
        settle(appeal, user=user, number=6, outcome=Result.APPOINTED, data=data)
    return appeal


def _appointed(data: dict) -> str:
    return (
        "Tim Panel Banding ditunjuk: "
        + ", ".join(data["names"])
        + (" (usulan diubah)" if data["changed"] else "")
    )


def _seat_panel(appeal: Appeal, data: dict) -> None:
    members, chair = _people_of(data)
    # Checked again: an account may have been deactivated or named as involved since.
    _check_panel(appeal, members, chair)
    now = timezone.now()
    PanelSeat.objects.bulk_create(
        PanelSeat(
            appeal=appeal,
            user=m,
            appointed_at=now,
            role=PanelRole.CHAIR if m == chair else PanelRole.MEMBER,
        )
        for m in members
    )


register(5, summary=_proposed)
register(6, summary=_appointed, apply=_seat_panel)
