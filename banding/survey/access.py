"""Who reads the survey's results: the team leader, the head, auditors and administrators."""

from banding.accounts.roles import Role, has_role

RESULT_ROLES = (Role.PJTK_LEAD, Role.HEAD, Role.AUDITOR, Role.ADMIN)
REFUSAL = (
    "Hasil Survei Kepuasan Masyarakat dibuka oleh Ketua Tim PJTK, Kepala Balai, auditor dan "
    "administrator."
)


def may_see_results(user) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, *RESULT_ROLES)
