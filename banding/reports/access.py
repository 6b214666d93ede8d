"""Who reads the reports (dashboard, SOP monitoring, management review, survey results): the
head, the team leader, auditors and administrators. One rule; the gate of their views is
banding.reports.views.readers_only."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role

READER_ROLES = (Role.HEAD, Role.PJTK_LEAD, Role.AUDITOR, Role.ADMIN)
READERS = N_("Kepala Balai, Ketua Tim PJTK, auditor dan administrator")


def reads_reports(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, *READER_ROLES)


def refusal(report: str) -> str:
    """`report` is marked where it is named (N_)."""
    return gettext("%(report)s dibuka oleh %(readers)s.") % {
        "report": gettext(report),
        "readers": gettext(READERS),
    }
