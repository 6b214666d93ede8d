"""Letters as PDF: Django templates (letters/<kind>.html on letters/base.html) rendered to HTML
and printed by WeasyPrint on A4. The context comes from the case: the appeal, the data each
completed SOP step stored, the panel, and the parts people wrote (Letter.fields), pre-filled
from the text templates letters/texts/<kind>-<part>.txt."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.appeals.uploads import sniff
from banding.letters.kinds import Kind, spec
from banding.letters.models import Letter, Letterhead
from banding.sop import definition as sop
from banding.sop.definition import ACTOR_LABELS, REJECTION_TOLD, VERDICT_TOLD, Verdict


def step_data(appeal: Appeal) -> dict[int, dict]:
    """The data of the latest completed occurrence of each step (a returned step 9 counts
    once, as last decided)."""
    latest: dict[int, dict] = {}
    for step in appeal.steps.filter(completed_at__isnull=False).order_by("completed_at", "id"):
        latest[step.number] = step.data
    return latest


def record_of(letter: Letter) -> dict:
    """The facts the letter states: the record of the step occurrence it documents (what its
    actor recorded while the step is open, its data once completed); {} for a letter whose
    step records nothing of its own before it."""
    step = letter.occurrence
    if step is None:
        return {}
    return step.data if step.completed_at else step.recorded_data


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return parse_datetime(value) if value else None


def _customer(appeal: Appeal) -> str:
    return f"{appeal.contact_name}\n{appeal.organization.name}"


def _panel(appeal: Appeal, facts: dict, data: dict[int, dict]) -> list[dict[str, str]]:
    """The panel the letter names: the one its own record names (the proposal, the
    appointment), else the appointed panel (the appointment of step 6)."""
    named = facts if "members" in facts else data.get(6, {})
    if "members" not in named:
        return []
    people = {str(u.public_id): u for u in User.objects.filter(public_id__in=named["members"])}
    return [
        {
            "name": people[i].display_name if i in people else name,
            "nip": people[i].nip if i in people else "",
            "position": people[i].position if i in people else "",
            "role": _("Ketua") if i == named["chair"] else _("Anggota"),
        }
        for i, name in zip(named["members"], named["names"], strict=True)
    ]


def _seated(appeal: Appeal) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The panel as it sits now (chair first) and the replacements of seats vacated by a
    declared conflict of interest: what a corrected surat tugas names."""
    seats = list(appeal.panel_seats.select_related("user", "replaces__user").order_by("pk"))
    seated = sorted((s for s in seats if s.vacated_at is None), key=lambda s: s.role != "chair")
    panel = [
        {
            "name": s.user.display_name,
            "nip": s.user.nip,
            "position": s.user.position,
            "role": _("Ketua") if s.role == "chair" else _("Anggota"),
        }
        for s in seated
    ]
    replacements = [
        {"name": s.user.display_name, "replaces": s.replaces.user.display_name}
        for s in seats
        if s.replaces is not None
    ]
    return panel, replacements


def addressee(letter: Letter, facts: dict) -> str:
    """Whom the letter is to, from the case: the customer, or the internal addressee."""
    appeal = letter.appeal
    kind = spec(letter.kind)
    if kind.to_customer:
        return _customer(appeal)
    if letter.kind == Kind.NOTA_DINAS:
        team = facts.get("technical_team_name") or (
            appeal.technical_team.name if appeal.technical_team else _("Bagian/Tim Teknis")
        )
        return _("Ketua %(team)s") % {"team": team}
    if letter.kind == Kind.USULAN_PANEL:
        return ACTOR_LABELS[sop.Actor.KAB]
    if letter.kind == Kind.DISPOSISI:
        return ACTOR_LABELS[sop.Actor.STF]
    return ""


TEXTS = "letters/texts"


def text(name: str, values: dict[str, Any]) -> str:
    """A text of the letters from its template file, letters/texts/<name>.txt (an
    administrator's copy in BANDING_TEMPLATE_OVERRIDES_DIR wins, as for the layouts): plain
    text, not escaped; the file's final line break is not part of the text; '' for no file.
    Always in Indonesian, as the letter is: an API caller's English never reaches a letter."""
    try:
        found = get_template(f"{TEXTS}/{name}.txt")
    except TemplateDoesNotExist:
        return ""
    # The Django backend's template: its own Template renders with a Context (autoescape off).
    assert isinstance(found, DjangoTemplate), f"{name}: not a Django template"
    template = found.template
    with translation.override("id"):
        rendered = template.render(Context(values, autoescape=False))
    return rendered.removesuffix("\n").removesuffix("\r")


def defaults(appeal: Appeal, kind: str) -> dict[str, str]:
    """The parts people write, pre-filled from letters/texts/<kind>-<part>.txt (a part without
    a file starts empty); the facts come from the record (record_of)."""
    values = {
        "appeal": appeal,
        "number": appeal.number,
        "organization": appeal.organization.name,
        "investigation_time": str(sop.step(7).waktu),
        # Prose the head may rewrite: the decision starts from the minutes the panel recorded.
        "meeting": step_data(appeal).get(9, {}) if kind == Kind.KEPUTUSAN else {},
    }
    return {part.name: text(f"{kind}-{part.name}", values) for part in spec(kind).parts}


def verification_url(code: str) -> str:
    return settings.BANDING_PUBLIC_URL + reverse("verification", args=[code])


def _data_uri(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def _logo(letterhead: Letterhead) -> str:
    if not letterhead.logo:
        return ""
    with letterhead.logo.open("rb") as f:
        content = f.read()
        f.seek(0)
        content_type = sniff(f)
    return _data_uri(content, content_type) if content_type else ""


def context(letter: Letter) -> dict[str, Any]:
    appeal = letter.appeal
    kind = spec(letter.kind)
    data = step_data(appeal)
    facts = record_of(letter)
    draft = letter.is_draft
    letterhead = Letterhead.current()
    dated = timezone.localtime(letter.issued_at or timezone.now())
    step3 = appeal.steps.filter(number=3).order_by("-id").first()
    # The meeting and its decision: the letter's own record (minutes, attendance), or the
    # panel's latest decision for the letters that follow it (decision, delivery).
    meeting = facts if "attendance" in facts else data.get(9, {})
    decision = meeting.get("decision", "")
    panel = _panel(appeal, facts, data)
    replacements: list[dict[str, str]] = []
    if letter.kind == Kind.PENUNJUKAN_PANEL and letter.version > 1:
        # A corrected surat tugas names the panel as it sits, with its replacements.
        panel, replacements = _seated(appeal)
    url = ""
    if not draft:
        # An issued letter has its verification code (given when it was issued).
        assert letter.verification_code is not None, f"{letter.number}: no verification code"
        url = verification_url(letter.verification_code)
    return {
        "letter": letter,
        "spec": kind,
        "draft": draft,
        "fields": {**defaults(appeal, letter.kind), **letter.fields},
        "appeal": appeal,
        "kepada": addressee(letter, facts),
        "rejection_told": REJECTION_TOLD,
        "data": data,
        "record": facts,
        "meeting": meeting,
        "meeting_at": _when(meeting.get("meeting_at")),
        "decision_label": Verdict(decision).label if decision else "",
        "told": VERDICT_TOLD[Verdict(decision)] if decision else None,
        "panel": panel,
        "replacements": replacements,
        "step3": step3,
        "keputusan": appeal.letters.filter(kind=Kind.KEPUTUSAN, status="issued").first(),
        "steps": sop.STEP_BY_NUMBER,
        "non_discrimination": text("non_discrimination", {"appeal": appeal}),
        "letterhead": letterhead,
        "logo": _logo(letterhead),
        "dated": dated,
        "signer_role": letter.signed_as or kind.signer.label,
        "qr": segno.make(url).svg_data_uri(scale=3) if url else "",
        "verification_url": url,
        "institute_name": settings.BANDING_INSTITUTE_NAME,
    }


def render_html(letter: Letter) -> str:
    with translation.override("id"):
        return render_to_string(f"letters/{letter.kind}.html", context(letter))


def render_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML  # imported on use: loading pango costs time at startup

    return HTML(string=render_html(letter)).write_pdf()
