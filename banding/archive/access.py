"""Who works the retention (JRA) workflow: the archive keepers (Staff PJTK, who archives at
step 13, and the Ketua Tim PJTK) list, transfer, appraise and propose; the Kepala Balai
approves or rejects a disposal proposal; the Kepala Balai, auditors and administrators read."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.errors import Forbidden

KEEPER_ROLES = (Role.PJTK_STAFF, Role.PJTK_LEAD)
DECIDER_ROLES = (Role.HEAD,)
READER_ROLES = (*KEEPER_ROLES, Role.HEAD, Role.AUDITOR, Role.ADMIN)

NOT_READER = N_(
    "Halaman retensi arsip dibuka oleh Staff PJTK, Ketua Tim PJTK, Kepala Balai, auditor dan "
    "administrator."
)
NOT_KEEPER = N_(
    "Pemindahan, penilaian kembali dan usul musnah arsip dilakukan oleh Staff PJTK atau Ketua "
    "Tim PJTK (pengelola arsip)."
)
NOT_DECIDER = N_("Usul musnah arsip hanya dapat disetujui atau ditolak oleh Kepala Balai.")


def _active(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active


def reads_retention(user: User | AnonymousUser) -> bool:
    return _active(user) and has_role(user, *READER_ROLES)


def keeps_archive(user: User | AnonymousUser) -> bool:
    return _active(user) and has_role(user, *KEEPER_ROLES)


def decides_disposal(user: User | AnonymousUser) -> bool:
    return _active(user) and has_role(user, *DECIDER_ROLES)


def require_keeper(user: User | AnonymousUser) -> None:
    if not keeps_archive(user):
        raise Forbidden(NOT_KEEPER)


def require_decider(user: User | AnonymousUser) -> None:
    if not decides_disposal(user):
        raise Forbidden(NOT_DECIDER)
