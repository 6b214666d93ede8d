"""Template filters of the workspace: dates in WIB (banding.formats), SOP labels, roles,
deadlines."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.contrib.auth.models import AnonymousUser

from banding import formats
from banding.accounts.models import User
from banding.accounts.onboarding import MANAGERS
from banding.accounts.roles import Role, has_role
from banding.appeals import access, actors, claims, deadlines
from banding.appeals.deadlines import DeadlineState
from banding.appeals.models import Appeal, Step
from banding.appeals.uploads import human_size
from banding.audit import access as access_audit
from banding.reports import access as access_reports
from banding.sop import definition as sop
from banding.sop.definition import ACTOR_LABELS, Actor, Duration

register = template.Library()


@register.filter
def wib(value: datetime | None) -> str:
    """24 November 2026 10:05 WIB"""
    return formats.format_wib(value)


@register.filter
def tanggal(value: date | datetime | None) -> str:
    """24 November 2026"""
    return formats.format_long_date(value)


@register.filter
def step_title(number: int | None) -> str:
    return sop.step(number).title if number else ""


@register.filter
def actor_label(code: str) -> str:
    return ACTOR_LABELS[Actor(code)] if code else ""


@register.filter
def role_labels(roles: frozenset[str]) -> str:
    return ", ".join(str(Role(r).label) for r in sorted(roles) if r in Role.values)


@register.filter
def may_register(user: User | AnonymousUser) -> bool:
    return access.may_register(user)


@register.filter
def manages_customers(user: User | AnonymousUser) -> bool:
    """Confirms registrations and invites customer contacts (banding.accounts.onboarding)."""
    return has_role(user, *MANAGERS)


@register.filter
def reads_reports(user: User | AnonymousUser) -> bool:
    """The Laporan menu: dashboard, monitoring, management review, survey results."""
    return access_reports.reads_reports(user)


@register.filter
def reads_audit_log(user: User | AnonymousUser) -> bool:
    """The Log audit link: auditors and administrators (banding.audit.access)."""
    return access_audit.reads_audit_log(user)


@register.filter
def summary(text: str | None) -> str:
    """About the first 100 characters, cut after a word (banding.formats.summary)."""
    return formats.summary(text or "")


@register.filter
def shared_step(actor: str) -> bool:
    """Whether a step of this actor can be taken by one of its people (appeals.claims)."""
    return claims.shared(actor)


@register.simple_tag
def claim_of(user: User, appeal: Appeal, step: Step | None) -> claims.Claim:
    """Who has the appeal's open step and what the user may do about it (no query when the
    step was read with its taker)."""
    return claims.claim_of(user, appeal, step)


@register.filter
def executor(appeal: Appeal) -> str:
    """Who acts on the current step of a listed appeal (the technical team by name)."""
    return actors.executor(appeal.current_actor, appeal)


@register.filter
def deadline_state(appeal: Appeal) -> DeadlineState | None:
    """On time, at risk or overdue, for a listed open appeal (from its own columns)."""
    if not appeal.is_open:
        return None
    return deadlines.state_of(appeal.current_due_at, appeal.current_at_risk_at)


@register.filter
def working_time(minutes: int | None) -> str:
    """Working minutes as `7 jam 30 menit`."""
    return formats.format_minutes(minutes)


@register.simple_tag
def deadline_semantics(waktu: Duration | None = None) -> str:
    """How deadlines are counted (for one standard time, or all of them)."""
    # An absent template variable arrives as "": that means every kind of standard time.
    return deadlines.semantics(waktu or None)


@register.filter
def ukuran(size: int | None) -> str:
    """A file's size in Indonesian ("1,5 MB", "612 byte"), whatever the browser's language."""
    return "" if size is None else human_size(size)
