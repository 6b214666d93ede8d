"""Who reads the reports (dashboard, SOP monitoring, management review, survey results): the
head, the team leader, auditors and administrators. One rule; the gate of their views is
banding.reports.views.readers_only."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role

READER_ROLES = (Role.HEAD, Role.PJTK_LEAD, Role.AUDITOR, Role.ADMIN)
READERS = "Kepala Balai, Ketua Tim PJTK, auditor dan administrator"


def reads_reports(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, *READER_ROLES)


def refusal(report: str) -> str:
    return f"{report} dibuka oleh {READERS}."
