"""Who reads the whole audit log (every appeal's events and the events of no appeal: log-ins,
tokens, calendar changes, exports): the auditor, whose work it is, and the administrator, who
answers for the system's accounts and settings. The Kepala Balai and the Ketua Tim PJTK act in
the SOP and so are among those the log records; they read the reports and each appeal's own
history, not the log of everyone. One rule, for the staff page, its downloads and the API."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.errors import Forbidden

READER_ROLES = (Role.AUDITOR, Role.ADMIN)
REFUSAL = N_("Log audit hanya dapat dibuka oleh auditor dan administrator.")


def reads_audit_log(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, *READER_ROLES)


def require_reader(user: User | AnonymousUser) -> None:
    if not reads_audit_log(user):
        raise Forbidden(REFUSAL, code="audit_log")
