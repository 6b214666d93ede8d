"""The administrator's page of the signers' certificates (banding.letters.signing.certificates):
each signer's certificate subject, issuer and validity, with a warning when it expires within
EXPIRY_WARNING or cannot sign at all, and the trust roots the verification uses."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.accounts.roles import Role, has_role
from banding.appeals.views.common import refuse, staff_required
from banding.letters.signing import certificates


@staff_required
@require_GET
def certificate_list(request: AuthedRequest) -> HttpResponse:
    if not has_role(request.user, Role.ADMIN):
        return refuse(
            request, _("Hanya administrator yang dapat melihat sertifikat penanda tangan.")
        )
    now = timezone.now()
    rows = certificates.overview(at=now)
    return render(
        request,
        "letters/certificates.html",
        {
            "rows": rows,
            "roots": certificates.trust_root_overview(),
            "roots_file": settings.BANDING_SIGNING["TRUST_ROOTS"],
            "folder": settings.BANDING_SIGNING["DIR"],
            "warning_days": certificates.EXPIRY_WARNING.days,
            "problems": sum(1 for _user, info in rows if not info.usable),
            "expiring": sum(1 for _user, info in rows if info.expiring),
            "current": "certificates",
        },
    )
