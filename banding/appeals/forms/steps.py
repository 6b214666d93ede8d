"""One form per SOP action on an appeal. Labels of choices come from the SOP definition and
the model choices; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import TechnicalTeam, User
from banding.appeals import relations, selectors, services
from banding.appeals.forms.base import BootstrapForm, DateTimeLocalInput, textarea
from banding.appeals.forms.considered import SimilarFields
from banding.appeals.models import Appeal, Channel, Decision, DocumentKind, NoteKind
from banding.appeals.vacancy import panel_state
from banding.errors import ServiceError
from banding.sop import definition as sop

CHANNELS = [(c.value, Channel(c).label) for c in services.INTAKE_CHANNELS]
# Plain (the page shows it with gettext): the declaration is quoted as written.
DECLARATION = N_(
    "Saya menyatakan tidak memiliki benturan kepentingan dan tidak terlibat dalam kegiatan "
    "atau keluhan yang dibanding"
)


class StepForm(BootstrapForm):
    """A form acting on one appeal, for one user. Unbound, a form of a record-first step
    starts from what was recorded (to change it before its letters are issued)."""

    def __init__(self, *args: Any, appeal: Appeal, user: User, **kwargs: Any) -> None:
        self.appeal = appeal
        self.user = user
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            step = services.recorded_step(appeal)
            if step is not None:
                for name, value in self.from_record(step.number, step.recorded_data).items():
                    self.initial.setdefault(name, value)

    def from_record(self, number: int, data: dict) -> dict[str, Any]:
        """The form's initial values from the open step's record (none by default)."""
        return {}


def _now_local() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


class VerifyForm(StepForm, SimilarFields):
    checklist = forms.MultipleChoiceField(
        label=_("Daftar periksa kelengkapan"),
        choices=[(item, item) for item in sop.step(3).checklist],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Centang yang sudah ada dan lengkap."),
    )
    relevant = forms.ChoiceField(
        label=sop.step(3).decision,
        # A callable: the labels are read from the definition when the form is built.
        choices=lambda: [(o.key.value, o.label) for o in sop.step(3).outcomes],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Alasan"),
        widget=textarea(3),
        required=False,
        help_text=_("Wajib bila tidak relevan."),
    )
    technical_team = forms.ModelChoiceField(
        label=_("Bagian/Tim Teknis tujuan nota dinas"),
        queryset=TechnicalTeam.objects.order_by("name"),
        required=False,
        empty_label=_("— pilih tim teknis —"),
        help_text=_("Wajib bila relevan."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_similar_fields(self.appeal)
        self.style_fields()

    def from_record(self, number: int, data: dict) -> dict[str, Any]:
        if number != 3:
            return {}
        team = TechnicalTeam.objects.filter(code=data.get("technical_team") or "").first()
        return {
            "checklist": [item for item, ok in data.get("checklist", {}).items() if ok],
            "relevant": sop.Result.RELEVANT if data.get("relevant") else sop.Result.NOT_RELEVANT,
            "reasons": data.get("reasons", ""),
            "technical_team": team.pk if team else None,
            **similar_initial(data),
        }


class RejectForm(StepForm):
    """The rejection letter carries the reasons recorded at step 3: here its delivery."""

    delivered_at = forms.DateTimeField(
        label=_("Tanggal dikirim"), widget=DateTimeLocalInput(), help_text=_("Waktu WIB.")
    )
    channel = forms.ChoiceField(label=_("Saluran pengiriman"), choices=CHANNELS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("delivered_at", _now_local())
        self.initial.setdefault("channel", self.appeal.channel)


def panel_size_rule() -> str:
    """The panel's size as the settings ask it, in words."""
    least = settings.BANDING_PANEL_MIN_SIZE
    if settings.BANDING_PANEL_ODD:
        return gettext(
            "Paling sedikit %(least)s orang, jumlahnya ganjil, satu di antaranya ketua."
        ) % {"least": least}
    return gettext("Paling sedikit %(least)s orang, satu di antaranya ketua.") % {"least": least}


class PanelForm(StepForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Anggota panel"),
        queryset=selectors.panel_candidates(),
        widget=forms.CheckboxSelectMultiple,
        help_text=sop.IMPARTIALITY,
    )
    chair = forms.ModelChoiceField(
        label=_("Ketua panel"),
        queryset=selectors.panel_candidates(),
        empty_label=_("— pilih ketua —"),
        help_text=_("Ketua harus salah satu anggota."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The candidates read once for both lists (a field's own choices would ask each);
        # a submitted choice is still checked against the queryset, and an involved one is
        # refused by the service, saying why. Those involved are listed apart with the reason
        # (`ineligible`), not offered and not hidden.
        self.eligible, self.ineligible = selectors.panel_choices(self.appeal)
        self.candidates = [*self.eligible, *(user for user, _ in self.ineligible)]
        members, chair = self.fields["members"], self.fields["chair"]
        assert isinstance(members, forms.ModelMultipleChoiceField)  # declared above
        assert isinstance(chair, forms.ModelChoiceField)
        members.help_text = f"{panel_size_rule()} {sop.IMPARTIALITY}"
        choices = [(user.pk, chair.label_from_instance(user)) for user in self.eligible]
        members.choices = choices
        chair.choices = [("", chair.empty_label), *choices]
        if not self.is_bound:
            # Started again from the record, now that the candidates are in hand.
            step = services.recorded_step(self.appeal)
            if step is not None:
                self.initial.update(self.from_record(step.number, step.recorded_data))

    def from_record(self, number: int, data: dict) -> dict[str, Any]:
        if number not in (5, 6) or not hasattr(self, "candidates"):
            return {}
        by_id = {str(u.public_id): u.pk for u in self.candidates}
        values = {
            "members": [by_id[i] for i in data.get("members", []) if i in by_id],
            "chair": by_id.get(data.get("chair", "")),
        }
        if "note" in data and "note" in self.fields:
            values["note"] = data["note"]
        return values


class ProposeForm(PanelForm):
    note = forms.CharField(label=_("Catatan koordinasi"), widget=textarea(2), required=False)


class AppointForm(PanelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members, chair = services.panel_proposal(self.appeal, people=self.candidates)
        self.initial.setdefault("members", [m.pk for m in members])
        self.initial.setdefault("chair", chair.pk if chair else None)


NO_CONFLICT, HAS_CONFLICT = "tidak_ada", "ada"


def _no_conflict() -> str:
    declaration = gettext(DECLARATION)
    return gettext("Tidak ada konflik: %(declaration)s") % {
        "declaration": declaration[0].lower() + declaration[1:]
    }


class DeclareForm(StepForm):
    """The declaration, with both answers: "tidak ada konflik" (its text is DECLARATION) or
    "ada konflik" with a description, which vacates the seat."""

    answer = forms.ChoiceField(
        label=_("Pernyataan"),
        choices=[
            (NO_CONFLICT, lazy(_no_conflict, str)()),
            (HAS_CONFLICT, _("Ada konflik: saya memiliki benturan kepentingan dengan banding ini")),
        ],
        widget=forms.RadioSelect,
        initial=NO_CONFLICT,
        # Without an answer the button declares no conflict, as it always did.
        required=False,
    )
    description = forms.CharField(
        label=_("Uraian benturan kepentingan"),
        widget=textarea(3),
        required=False,
        help_text=(
            _(
                "Wajib bila ada konflik. Kursi Anda dikosongkan, Kepala Balai diberi tahu dan "
                "menunjuk pengganti."
            )
        ),
    )

    def clean_answer(self) -> bool:
        return self.cleaned_data["answer"] == HAS_CONFLICT


class ReplaceForm(StepForm):
    """The head's replacement of a seat a declared conflict vacated: the vacated seat, the
    replacement (only those who may sit are offered; the others listed with why) and the
    chair when it changes."""

    vacated = forms.ModelChoiceField(
        label=_("Kursi yang dikosongkan"), queryset=User.objects.none(), empty_label=None
    )
    member = forms.ModelChoiceField(
        label=_("Pengganti"),
        queryset=selectors.panel_candidates(),
        empty_label=_("— pilih pengganti —"),
        help_text=sop.IMPARTIALITY,
    )
    chair = forms.ModelChoiceField(
        label=_("Ketua panel"),
        queryset=selectors.panel_candidates(),
        required=False,
        empty_label=_("— ketua tetap —"),
        help_text=_("Wajib bila kursi ketua yang dikosongkan; ketua harus salah satu anggota."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state = panel_state(self.appeal, list(self.appeal.panel_seats.all()))
        vacated, member, chair = (self.fields[n] for n in ("vacated", "member", "chair"))
        assert isinstance(vacated, forms.ModelChoiceField)  # declared above
        assert isinstance(member, forms.ModelChoiceField)
        assert isinstance(chair, forms.ModelChoiceField)
        vacated.queryset = User.objects.filter(pk__in=[s.user_id for s in state.vacant])
        vacated.choices = [(s.user_id, s.user.display_name) for s in state.vacant]
        self.eligible, self.ineligible = selectors.replacement_choices(self.appeal, state.seats)
        choices = [(u.pk, member.label_from_instance(u)) for u in self.eligible]
        member.choices = [("", member.empty_label), *choices]
        seated = [(s.user_id, s.user.display_name) for s in state.seated]
        chair.choices = [("", chair.empty_label), *seated, *choices]


class NoteForm(StepForm):
    kind = forms.ChoiceField(label=_("Jenis catatan"), choices=NoteKind.choices)
    text = forms.CharField(label=_("Isi catatan"), widget=textarea(4))
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian"),
        widget=DateTimeLocalInput(),
        required=False,
        help_text=_("Waktu WIB; kosongkan bila sekarang."),
    )


class ReportForm(StepForm):
    report = forms.FileField(
        label=_("Laporan hasil investigasi"),
        error_messages={"required": _("Laporan hasil investigasi wajib diunggah.")},
        help_text=_("Langkah 7 selesai saat laporan diunggah."),
    )
    summary = forms.CharField(label=_("Ringkasan"), widget=textarea(2), required=False)


def parse_guests(text: str) -> list[dict]:
    """One line per person: `Nama; Peran` (the role may be left out)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) > 2 or not parts[0]:
            raise forms.ValidationError(
                gettext("Baris %(number)s peserta lain tidak terbaca: tulis 'Nama; Peran'.")
                % {"number": number}
            )
        rows.append({"name": parts[0], "role": parts[1] if len(parts) == 2 else ""})
    return rows


def similar_initial(data: dict) -> dict[str, Any]:
    record = data.get("similar") or {}
    return {
        "similar_considered": record.get("considered", []),
        "similar_confirmed": record.get("confirmed", False),
    }


class DecideForm(StepForm, SimilarFields):
    """Step 9. The attendance is per seat of the panel as it sits (the page's seats, not
    free text); others present are listed apart and do not count for the quorum."""

    meeting_at = forms.DateTimeField(
        label=_("Waktu rapat"),
        widget=DateTimeLocalInput(),
        help_text=_("Waktu WIB; tidak sebelum Tim Panel Banding ditunjuk dan tidak di masa depan."),
    )
    place = forms.CharField(label=_("Tempat rapat"), max_length=200)
    present = forms.MultipleChoiceField(
        label=_("Daftar hadir anggota panel"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    guests = forms.CharField(
        label=_("Peserta lain"),
        widget=textarea(2),
        required=False,
        help_text=_("Satu baris per orang: Nama; Peran. Tidak dihitung dalam kuorum."),
    )
    minutes = forms.CharField(label=_("Notulen rapat"), widget=textarea(6))
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Pertimbangan atau alasan keputusan"), widget=textarea(4))
    remedy = forms.CharField(
        label=_("Tindakan perbaikan atau pemulihan"),
        widget=textarea(3),
        required=False,
        help_text=_("Wajib bila banding diterima atau diterima sebagian."),
    )
    dissent_member = forms.ChoiceField(
        label=_("Pendapat berbeda dari"), required=False, help_text=_("Anggota panel yang hadir.")
    )
    dissent = forms.CharField(
        label=_("Pendapat berbeda (dissenting opinion)"), widget=textarea(3), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seats = (
            self.appeal.panel_seats.all()  # the page's, with their users
            if relations.remembered(self.appeal, ["panel_seats"])
            else self.appeal.panel_seats.select_related("user")
        )
        seated = sorted((s for s in seats if s.vacated_at is None), key=lambda s: (s.role, s.pk))
        choices = [
            (str(s.user.public_id), f"{s.user.display_name} ({s.get_role_display()})")
            for s in seated
        ]
        self.seat_ids = [value for value, _ in choices]
        present = self.fields["present"]
        assert isinstance(present, forms.MultipleChoiceField)  # declared above
        present.choices = choices
        quorum = services.quorum_required(len(seated))
        present.help_text = gettext(
            "Centang yang hadir. Kuorum: paling sedikit %(quorum)s dari %(seated)s anggota, "
            "termasuk ketua."
        ) % {"quorum": quorum, "seated": len(seated)}
        member = self.fields["dissent_member"]
        assert isinstance(member, forms.ChoiceField)
        member.choices = [("", gettext("— tidak ada —")), *choices]
        self.initial.setdefault("present", self.seat_ids)
        self.add_similar_fields(self.appeal)
        self.style_fields()

    def apply_service_error(self, error: ServiceError) -> None:
        # The service names the attendance it was given; the form's is the seats ticked.
        if "attendance" in error.fields:
            self.add_error("present", error.fields["attendance"])
        super().apply_service_error(error)

    def clean_guests(self) -> list[dict]:
        return parse_guests(self.cleaned_data["guests"])

    def clean(self) -> dict[str, Any]:
        """Adds what the service takes: the attendance per seat (every seat, present or
        not) and the dissenting opinion as a list."""
        cleaned = super().clean() or {}
        present = set(cleaned.get("present") or [])
        cleaned["attendance"] = [
            {"member": value, "present": value in present} for value in self.seat_ids
        ]
        opinion = (cleaned.get("dissent") or "").strip()
        if opinion and not cleaned.get("dissent_member"):
            self.add_error("dissent_member", gettext("Pilih anggota yang berpendapat berbeda."))
        cleaned["dissent_list"] = (
            [{"member": cleaned["dissent_member"], "opinion": opinion}] if opinion else []
        )
        return cleaned

    def from_record(self, number: int, data: dict) -> dict[str, Any]:
        if number != 9:
            return {}
        meeting_at = data.get("meeting_at")
        if isinstance(meeting_at, str):
            meeting_at = parse_datetime(meeting_at)
        dissent = data.get("dissent") or []
        return {
            "meeting_at": timezone.localtime(meeting_at) if meeting_at else None,
            "place": data.get("place", ""),
            "present": [r["member"] for r in data.get("attendance", []) if r.get("present")],
            "guests": "\n".join(
                f"{g['name']}; {g['role']}" if g["role"] else g["name"]
                for g in data.get("guests", [])
            ),
            "minutes": data.get("minutes", ""),
            "decision": data.get("decision", ""),
            "reasons": data.get("reasons", ""),
            "remedy": data.get("remedy", ""),
            "dissent_member": dissent[0]["member"] if dissent else "",
            "dissent": dissent[0]["opinion"] if dissent else "",
            **similar_initial(data),
        }


class DissentForm(StepForm):
    """A present member's own dissenting opinion, added to the recorded meeting."""

    opinion = forms.CharField(label=_("Pendapat berbeda Anda"), widget=textarea(4))


class ApproveForm(StepForm):
    disposition = forms.CharField(
        label=_("Isi disposisi kepada Ketua Tim PJTK dan Bagian/Tim Teknis"), widget=textarea(3)
    )


class ReturnForm(StepForm):
    reasons = forms.CharField(label=_("Alasan pengembalian"), widget=textarea(3))


class DispositionForm(StepForm):
    note = forms.CharField(label=_("Isi disposisi kepada staff PJTK"), widget=textarea(3))


class CloseForm(StepForm):
    delivered_at = forms.DateTimeField(
        label=_("Tanggal disampaikan"), widget=DateTimeLocalInput(), help_text=_("Waktu WIB.")
    )
    channel = forms.ChoiceField(label=_("Saluran penyampaian"), choices=CHANNELS)
    cabinet = forms.CharField(label=_("Lemari arsip"), max_length=50)
    box = forms.CharField(label=_("Boks arsip"), max_length=50)
    folder = forms.CharField(label=_("Map arsip"), max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("delivered_at", _now_local())
        self.initial.setdefault("channel", self.appeal.channel)


class CompleteForm(StepForm):
    """No fields but the step it completes (a stale tab completes nothing else)."""

    number = forms.IntegerField(widget=forms.HiddenInput)


class DocumentForm(StepForm):
    kind = forms.ChoiceField(
        label=_("Jenis dokumen"),
        choices=[
            ("", _("— pilih jenis dokumen —")),
            *(
                (value, label)
                for value, label in DocumentKind.choices
                if value != DocumentKind.INVESTIGATION_REPORT
            ),
        ],
        help_text=_("Laporan hasil investigasi diunggah melalui formulir langkah 7."),
    )
    upload = forms.FileField(label=_("Berkas"), help_text=_("PDF, JPEG, PNG, DOCX atau XLSX."))
