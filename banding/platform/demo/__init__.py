"""Seeding `banding demo`: an account for every role and a few appeals standing at
different SOP steps, in both branches of step 3; on the customer's side one appeal submitted
through the portal, a panel invitation waiting for the customer's answer, survey answers on
the closed appeals and one self-registration waiting for staff confirmation.

Everything is built through the real services (appeals, invitations, survey, onboarding), as
a user would, so the demo's history, events, notices, e-mails and documents are exactly what
the system itself writes. Seeding is idempotent: accounts are found by username and appeals
by their complaint reference, so a second run changes nothing.

Who and what is seeded is data (data.py); people.py makes the accounts, walk.py drives the
appeals through the services, pdf.py makes their documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from banding.appeals.models import Appeal
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
]


@dataclass(frozen=True)
class SeedResult:
    accounts_created: int
    appeals_created: list[Appeal]
    registrant_created: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.accounts_created or self.appeals_created or self.registrant_created)


def seed() -> SeedResult:
    accounts = seed_accounts()
    return SeedResult(accounts, seed_appeals(), seed_registrant())
