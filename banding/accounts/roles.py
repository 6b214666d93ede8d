"""Roles are Django groups; this module is the one place that reads them."""

from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, TextChoices
from django.utils.translation import gettext_lazy as _

from banding.accounts.models import User
from banding.sop.definition import Actor


class Role(TextChoices):
    PJTK_STAFF = "pjtk_staff", _("Staff PJTK")
    PJTK_LEAD = "pjtk_lead", _("Ketua Tim PJTK")
    TECHNICAL = "technical", _("Tim Teknis")
    HEAD = "head", _("Kepala Balai")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


# The SOP actor each institute role plays. The panel (TPB) is per appeal and the customer
# (PEL) is a user with an organisation; neither is a group.
ACTOR_ROLES: dict[Actor, Role] = {
    Actor.STF: Role.PJTK_STAFF,
    Actor.KTP: Role.PJTK_LEAD,
    Actor.TEK: Role.TECHNICAL,
    Actor.KAB: Role.HEAD,
}

INTERNAL_ROLES = frozenset(Role)

# Who may sit on an appeal panel (Tim Panel Banding): the institute's people of these roles,
# active and not involved in the original activity (banding.appeals.services.panel checks
# that); may_sit_on_panel and panel_eligible are the rule, for one user and for a query.
PANEL_ELIGIBLE_ROLES = (Role.PJTK_STAFF, Role.PJTK_LEAD, Role.TECHNICAL)


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """The user's role names, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_banding_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        cached = frozenset(n for n in names if n in Role.values)
        user._banding_roles = cached
    return cached


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_customer(user: User | AnonymousUser) -> TypeGuard[User]:
    """A customer's account: signed in, of an organisation, and of no institute role."""
    return user.is_authenticated and user.organization_id is not None and not roles_of(user)


def is_internal(user: User | AnonymousUser) -> bool:
    """Institute staff of any role (customers and role-less accounts are not)."""
    return bool(roles_of(user))


def may_sit_on_panel(user: User | AnonymousUser) -> bool:
    """Whether the user may be seated on an appeal panel: an active institute account (no
    customer organisation) of a panel-eligible role."""
    return user.is_active and user.organization_id is None and has_role(user, *PANEL_ELIGIBLE_ROLES)


def panel_eligible() -> Q:
    """may_sit_on_panel as a filter on a query of users (it joins the groups: add
    .distinct())."""
    return Q(is_active=True, organization__isnull=True, groups__name__in=PANEL_ELIGIBLE_ROLES)
