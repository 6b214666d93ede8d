"""Public ids in a payload to the objects the services take; an unknown id is a 400 that
names it."""

from collections.abc import Sequence
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.errors import Invalid


def _unknown(field: str, message: str) -> Invalid:
    return Invalid(message, code="unknown_reference", fields={field: [message]})


def users(ids: Sequence[UUID], *, field: str) -> list[User]:
    """The users with these public ids, in the order given."""
    found = {u.public_id: u for u in User.objects.filter(public_id__in=ids, is_active=True)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise _unknown(field, _("Pengguna tidak dikenal: %(ids)s.") % {"ids": ", ".join(missing)})
    return [found[i] for i in ids]


def user(public_id: UUID | None, *, field: str) -> User | None:
    return users([public_id], field=field)[0] if public_id else None


def organization(public_id: UUID | None) -> CustomerOrganization | None:
    if public_id is None:
        return None
    org = CustomerOrganization.objects.filter(public_id=public_id).first()
    if org is None:
        raise _unknown(
            "organization", _("Organisasi pelanggan tidak dikenal: %(id)s.") % {"id": public_id}
        )
    return org


def organizations_of(items: Sequence) -> dict[UUID, CustomerOrganization]:
    """The organisations a batch's items name (`item.organization`), by public id, in one
    query; an unknown one is named with the item's place."""
    ids = {item.organization for item in items if item.organization is not None}
    found = {o.public_id: o for o in CustomerOrganization.objects.filter(public_id__in=ids)}
    _refuse_unknown(
        {
            f"appeals.{i}.organization": _("Organisasi pelanggan tidak dikenal: %(id)s.")
            % {"id": item.organization}
            for i, item in enumerate(items)
            if item.organization is not None and item.organization not in found
        }
    )
    return found


def users_of(items: Sequence) -> dict[UUID, User]:
    """The people a batch's items name as involved (`item.involved_persons`), by public id,
    in one query; an unknown one is named with the item's place."""
    ids = {i for item in items for i in item.involved_persons}
    found = {u.public_id: u for u in User.objects.filter(public_id__in=ids, is_active=True)}
    _refuse_unknown(
        {
            f"appeals.{i}.involved_persons": _("Pengguna tidak dikenal: %(ids)s.")
            % {"ids": ", ".join(str(m) for m in item.involved_persons if m not in found)}
            for i, item in enumerate(items)
            if any(m not in found for m in item.involved_persons)
        }
    )
    return found


def _refuse_unknown(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(
            N_("Data yang dikirim menyebut sesuatu yang tidak dikenal."),
            code="unknown_reference",
            fields={field: [message] for field, message in errors.items()},
        )


def technical_team(code: str | None, *, field: str = "technical_team") -> TechnicalTeam | None:
    if not code:
        return None
    team = TechnicalTeam.objects.filter(code=code).first()
    if team is None:
        raise _unknown(field, _("Bagian/Tim Teknis tidak dikenal: %(code)s.") % {"code": code})
    return team


def teams_of(items: Sequence) -> dict[str, TechnicalTeam]:
    """The appealed teams a batch's items name (`item.appealed_team`), by code, in one query;
    an unknown one is named with the item's place."""
    codes = {item.appealed_team for item in items if item.appealed_team}
    found = {t.code: t for t in TechnicalTeam.objects.filter(code__in=codes)}
    _refuse_unknown(
        {
            f"appeals.{i}.appealed_team": _("Bagian/Tim Teknis tidak dikenal: %(code)s.")
            % {"code": item.appealed_team}
            for i, item in enumerate(items)
            if item.appealed_team and item.appealed_team not in found
        }
    )
    return found
