"""Whether the appeal's panel is complete: no seat vacated by a declared conflict of interest
is left without a replacement, and every replacement is named by a surat tugas issued after
it (the letters answer through banding.appeals.hooks.appointment_issued). Until then the panel
cannot act (services.shared.require_declared)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext

from banding.appeals import hooks
from banding.appeals.models import Appeal, PanelSeat


@dataclass(frozen=True)
class PanelState:
    seats: list[PanelSeat]  # every seat, vacated ones too, in the order given
    vacant: list[PanelSeat] = field(default_factory=list)  # vacated, no replacement yet
    # Replacements seated but not yet named by an issued surat tugas.
    unconfirmed: list[PanelSeat] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.vacant and not self.unconfirmed

    @property
    def seated(self) -> list[PanelSeat]:
        return [s for s in self.seats if s.vacated_at is None]

    def message(self) -> str:
        """Why the panel cannot act, in words ("" when it can)."""
        parts = []
        if self.vacant:
            names = ", ".join(s.user.display_name for s in self.vacant)
            parts.append(
                gettext(
                    "kursi %(names)s dikosongkan karena benturan kepentingan dan menunggu "
                    "Kepala Balai menunjuk penggantinya"
                )
                % {"names": names}
            )
        if self.unconfirmed:
            names = ", ".join(s.user.display_name for s in self.unconfirmed)
            parts.append(
                gettext(
                    "penunjukan pengganti (%(names)s) menunggu surat tugas yang diperbarui "
                    "diterbitkan"
                )
                % {"names": names}
            )
        if not parts:
            return ""
        return gettext(
            "Tim Panel Banding belum lengkap: %(parts)s. Tim Panel tidak dapat bertindak sampai "
            "lengkap kembali."
        ) % {"parts": "; ".join(parts)}


def panel_state(appeal: Appeal, seats: Sequence[PanelSeat] | None = None) -> PanelState:
    """The panel's completeness from its seats (the caller's, with their users, or one query)
    and, only when a replacement sits, the surat tugas in force (one more query)."""
    if seats is None:
        seats = list(appeal.panel_seats.select_related("user").order_by("pk"))
    seats = list(seats)
    replaced = {s.replaces_id for s in seats if s.replaces_id is not None}
    vacant = [s for s in seats if s.vacated_at is not None and s.pk not in replaced]
    replacements = [s for s in seats if s.replaces_id is not None and s.vacated_at is None]
    unconfirmed: list[PanelSeat] = []
    if replacements:
        into: dict = {}
        hooks.appointment_issued(appeal=appeal, into=into)
        issued_at = into.get("issued_at")
        unconfirmed = [s for s in replacements if issued_at is None or issued_at < s.appointed_at]
    return PanelState(seats=seats, vacant=vacant, unconfirmed=unconfirmed)
