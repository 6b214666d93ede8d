"""Seeding `banding demo`: an account for every role and a few appeals standing at
different SOP steps, in both branches of step 3; on the customer's side one appeal submitted
through the portal, a panel invitation waiting for the customer's answer, survey answers on
the closed appeals and one self-registration waiting for staff confirmation.

Everything is built through the real services (appeals, invitations, survey, onboarding), as
a user would, so the demo's history, events, notices, e-mails and documents are exactly what
the system itself writes. Seeding is idempotent: accounts are found by username and appeals
by their complaint reference, so a second run changes nothing.

Who and what is seeded is data (data.py); people.py makes the accounts, certificates.py the
DEMO certificate authority and a signing certificate for every staff account (letters are
signed with them), walk.py drives the appeals through the services, pdf.py makes their
documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from banding.accounts.roles import Role
from banding.appeals.models import Appeal
from banding.platform.demo.certificates import seed_certificates
from banding.platform.demo.data import (
    ACCOUNTS,
    APPEALS,
    DEMO_PASSWORD,
    ORGANIZATIONS,
    REGISTRANT,
    TEAMS,
)
from banding.platform.demo.pdf import pdf_bytes
from banding.platform.demo.people import accounts_table, seed_accounts, seed_registrant
from banding.platform.demo.walk import seed_appeals

__all__ = [
    "ACCOUNTS",
    "APPEALS",
    "DEMO_PASSWORD",
    "ORGANIZATIONS",
    "REGISTRANT",
    "TEAMS",
    "SeedResult",
    "accounts_table",
    "pdf_bytes",
    "seed",
    "seed_accounts",
    "seed_appeals",
    "seed_registrant",
    "seed_signers",
]


@dataclass(frozen=True)
class SeedResult:
    accounts_created: int
    appeals_created: list[Appeal]
    registrant_created: bool = False
    certificates_created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.accounts_created
            or self.appeals_created
            or self.registrant_created
            or self.certificates_created
        )


def seed_signers() -> list[str]:
    """The DEMO certificate authority and a certificate for every staff account that has
    none, in BANDING_SIGNING["DIR"]; returns the usernames given one."""
    # Staff who may sign letters: not the customers, the auditor or the administrator.
    signers = [
        (a.username, f"{a.first_name} {a.last_name}".strip(), a.position)
        for a in ACCOUNTS
        if not a.organization and not set(a.groups) <= {Role.AUDITOR, Role.ADMIN}
    ]
    return seed_certificates(Path(settings.BANDING_SIGNING["DIR"]), signers)


def seed() -> SeedResult:
    accounts = seed_accounts()
    certificates = seed_signers()
    return SeedResult(accounts, seed_appeals(), seed_registrant(), certificates)
