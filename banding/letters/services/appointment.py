"""The surat tugas follows the panel as it sits: a replacement of a seat vacated by a declared
conflict of interest drafts a correction (a new version) naming the panel as it now sits, and
the replacement counts once a version issued after it is in force (banding.appeals.hooks
panel_replaced and appointment_issued, connected in apps.py)."""

from __future__ import annotations

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.letters.kinds import Kind
from banding.letters.models import Letter, LetterStatus
from banding.letters.services.corrections import letter_supersede


def appointment_update(*, appeal: Appeal, user: User, reason: str, into: dict) -> None:
    """A correction of the surat tugas in force, drafted for the head to issue, inside the
    caller's transaction; a correction already drafted is kept (it will name the panel as it
    sits when it is issued)."""
    current = (
        Letter.objects.filter(appeal=appeal, kind=Kind.PENUNJUKAN_PANEL, status=LetterStatus.ISSUED)
        .order_by("-version", "-pk")
        .first()
    )
    if current is None:  # the panel is seated only once its surat tugas is issued
        return
    pending = Letter.objects.filter(supersedes=current).first()
    if pending is None:
        pending = letter_supersede(letter=current, user=user, reason=reason)
    into["letter"] = str(pending.public_id)


def appointment_in_force(*, appeal: Appeal, into: dict) -> None:
    """When the surat tugas in force was issued (None: none is)."""
    into["issued_at"] = (
        Letter.objects.filter(appeal=appeal, kind=Kind.PENUNJUKAN_PANEL, status=LetterStatus.ISSUED)
        .order_by("-issued_at")
        .values_list("issued_at", flat=True)
        .first()
    )
