"""Tugas saya: the open steps the user must act on, nearest due first, in views with their
counts (selectors.InboxFilter); and taking or releasing a shared step (Saya kerjakan /
Lepaskan, banding.appeals.services.claims) from it or from the appeal page."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from banding import formats
from banding.accounts.http import AuthedRequest, local_path
from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals import actors, claims, deadlines, inbox_reads, selectors, services, sla
from banding.appeals.deadlines import DeadlineState
from banding.appeals.models import ServiceType, Status
from banding.appeals.selectors import InboxFilter
from banding.appeals.views.common import appeal_or_404, refuse, staff_required
from banding.appeals.views.links import RowLink
from banding.errors import ServiceError
from banding.formats import format_wib
from banding.letters import selectors as letter_selectors
from banding.letters.kinds import Kind as LetterKind
from banding.paging import Paginator
from banding.sop import definition as sop
from banding.sop.definition import Actor

# The head's lists beside the turns (nota dinas to acknowledge, letters to sign, late steps):
# the first few, each with a link to the whole list (the register filtered, the letters to
# sign): a page of 150 rows is neither read nor quick.
SIDE_SHOWN = 10


@staff_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    # An unknown view is the default one: the link may be old, the page still useful.
    view = request.GET.get("tampil", "")
    if view not in InboxFilter.values:
        view = InboxFilter.MINE
    user = request.user
    # Every query of the page is prepared (banding.prepared): its SQL compiled once per
    # shape (roles, view, page), its rows read as dicts and shown as plain rows (below).
    counts = inbox_reads.inbox_counts(user)
    paginator = Paginator(inbox_reads.InboxRows(user, view), settings.BANDING_PAGE_SIZE)
    paginator.count = counts[view]  # counted above, with the other views, in one query
    page = paginator.get_page(request.GET.get("page"))
    # Shown to the head only: the oldest nota dinas, then a link to all of them.
    acknowledgements = inbox_reads.acknowledgement_rows(user, SIDE_SHOWN + 1)
    # The head's: panels that cannot act until a replacement is appointed (a handful).
    vacancies = inbox_reads.vacancy_rows(user, 50)
    # Drafts others prepared for this user's signature, the oldest first.
    to_sign = letter_selectors.to_sign_rows(user, SIDE_SHOWN + 1)
    # The head's overdue list: late steps of every actor, the head's own included (those have
    # no one to escalate to). The most overdue first.
    overdue = inbox_reads.overdue_rows(user, SIDE_SHOWN + 1) if has_role(user, Role.HEAD) else []
    rows = _Rows()
    page.object_list = [rows.task(row, user) for row in page.object_list]
    return render(
        request,
        "appeals/inbox.html",
        {
            "page": page,
            "view": view,
            "views": [(v.value, _(v.label), counts[v.value]) for v in InboxFilter],
            "here": request.get_full_path(),
            "acknowledgements": [rows.acknowledgement(r) for r in acknowledgements[:SIDE_SHOWN]],
            "acknowledgements_more": len(acknowledgements) > SIDE_SHOWN,
            "at_step_url": _register(status=Status.OPEN, step=sop.step_of(sop.Result.PROPOSED)),
            "vacancies": [rows.vacancy(r) for r in vacancies],
            "to_sign": [rows.letter(r) for r in to_sign[:SIDE_SHOWN]],
            "to_sign_more": len(to_sign) > SIDE_SHOWN,
            "overdue": [rows.overdue(r) for r in overdue[:SIDE_SHOWN]],
            "overdue_more": len(overdue) > SIDE_SHOWN,
            "overdue_url": _register(deadline=DeadlineState.OVERDUE),
            "head_delay_days": sla.head_escalation_delay() if overdue else None,
        },
    )


# As get_FOO_display(): the label of a stored value, the value itself if unknown.
_KIND_LABELS = dict(LetterKind.choices)
_SERVICE_LABELS = dict(ServiceType.choices)


class _Phrase:
    """A sentence of a row, translated once per page (the msgid the template's
    {% blocktranslate trimmed %} had) and filled per row as the tag filled it: each value
    escaped, the whole safe."""

    def __init__(self, translated: str) -> None:
        self.text = translated

    def __call__(self, **values: Any) -> str:
        # Safe: the translation is the template's own text, each value is escaped.
        return mark_safe(self.text % {k: conditional_escape(v) for k, v in values.items()})


class _Rows:
    """The rows of the page as the template shows them, from the prepared queries' dicts:
    links reversed once per page (views.links.RowLink), sentences translated once per page,
    labels and dates formatted here rather than by a filter per cell."""

    def __init__(self) -> None:
        self.detail = RowLink("appeals:detail")
        self.take = RowLink("appeals:take")
        self.release = RowLink("appeals:release")
        self.letter_link = RowLink("letters:letter", arity=2)
        self.complaint = _Phrase(_("Keluhan %(reference)s"))
        self.acting = _Phrase(_("%(executor)s, sejak %(since)s"))
        self.mine_since = _Phrase(_("Anda mengerjakannya sejak %(since)s"))
        self.taken_by = _Phrase(_("Dikerjakan oleh %(name)s"))
        self.taken_since = _Phrase(_("sejak %(since)s"))
        self.vacant = _Phrase(_("%(organization)s, langkah %(step)s. %(title)s"))
        self.sent = _Phrase(_("%(organization)s, kepada %(team)s, sejak %(since)s"))
        self.late = _Phrase(_("langkah %(step)s. %(title)s (%(executor)s), jatuh tempo %(due)s"))
        self.now = timezone.now()

    def task(self, row: dict[str, Any], user: Any) -> SimpleNamespace:
        public_id, step = row["public_id"], row["current_step"]
        state = (
            deadlines.state_of(row["current_due_at"], row["current_at_risk_at"], self.now)
            if row["status"] == Status.OPEN
            else None
        )
        taker = row[selectors.TAKER_ID]
        actor = row["current_actor"]
        if taker is not None and taker == user.public_id:
            claim = "mine"
        elif taker is not None:
            claim = "other"
        elif claims.shared(actor):
            claim = "take"
        elif actor == Actor.TPB:
            claim = "panel"
        else:
            claim = ""
        taken_at = format_wib(row[selectors.TAKEN_AT]) if taker is not None else ""
        return SimpleNamespace(
            pk=row["pk"],
            public_id=public_id,
            number=row["number"],
            detail_url=self.detail(public_id),
            service_type=_SERVICE_LABELS.get(row["service_type"], row["service_type"]),
            organization=row["organization__name"],
            complaint=self.complaint(reference=row["complaint_reference"]),
            summary=formats.summary(row[selectors.GROUNDS_HEAD] or ""),
            current_step=step,
            step_title=sop.step(step).title if step else "",
            acting=self.acting(
                executor=actors.executor_named(actor, row["technical_team__name"]),
                since=format_wib(row["current_since"]),
            ),
            due=format_wib(row["current_due_at"]),
            state=state,
            claim=claim,
            mine_since=self.mine_since(since=taken_at) if claim == "mine" else "",
            taken_by=self.taken_by(name=row[selectors.TAKER]) if claim == "other" else "",
            taken_since=self.taken_since(since=taken_at) if claim == "other" else "",
            take_url=self.take(public_id) if claim == "take" else "",
            release_url=self.release(public_id) if claim == "mine" else "",
        )

    def acknowledgement(self, row: dict[str, Any]) -> SimpleNamespace:
        return SimpleNamespace(
            pk=row["pk"],
            number=row["number"],
            detail_url=self.detail(row["public_id"]),
            line=self.sent(
                organization=row["organization__name"],
                team=row["technical_team__name"],
                since=format_wib(row["current_since"]),
            ),
        )

    def vacancy(self, row: dict[str, Any]) -> SimpleNamespace:
        step = row["current_step"]
        return SimpleNamespace(
            pk=row["pk"],
            number=row["number"],
            detail_url=self.detail(row["public_id"]),
            line=self.vacant(
                organization=row["organization__name"],
                step=step,
                title=sop.step(step).title if step else "",
            ),
        )

    def overdue(self, row: dict[str, Any]) -> SimpleNamespace:
        step = row["current_step"]
        return SimpleNamespace(
            pk=row["pk"],
            number=row["number"],
            detail_url=self.detail(row["public_id"]),
            line=self.late(
                step=step,
                title=sop.step(step).title if step else "",
                executor=actors.executor_named(row["current_actor"], row["technical_team__name"]),
                due=format_wib(row["current_due_at"]),
            ),
        )

    def letter(self, row: dict[str, Any]) -> SimpleNamespace:
        """A draft to sign, as letters/_to_sign_list.html reads a Letter."""
        author = User(
            username=row["created_by__username"],
            first_name=row["created_by__first_name"],
            last_name=row["created_by__last_name"],
        )
        kind = _KIND_LABELS.get(row["kind"], row["kind"])  # as get_kind_display()
        return SimpleNamespace(
            pk=row["pk"],
            url=self.letter_link(row["appeal__public_id"], row["public_id"]),
            get_kind_display=kind,
            appeal=SimpleNamespace(number=row["appeal__number"]),
            created_by=SimpleNamespace(display_name=author.display_name),
            created_at=row["created_at"],
        )


def _register(**filters: Any) -> str:
    """The register with these filters (banding.appeals.forms.register)."""
    return f"{reverse('appeals:register')}?{urlencode(filters)}"


def _step_number(request: AuthedRequest) -> int | None:
    """The step the user saw (the form's `langkah`); None when not given or not a number."""
    try:
        return int(request.POST["langkah"])
    except (KeyError, ValueError):
        return None


def _back(request: AuthedRequest, public_id: Any) -> str:
    """Where the form came from (`kembali`, a path of this site), else the appeal page."""
    return local_path(request, request.POST.get("kembali", "")) or reverse(
        "appeals:detail", args=[public_id]
    )


@staff_required
@require_POST
def take(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """Saya kerjakan: the user takes the appeal's open step."""
    appeal = appeal_or_404(request, public_id)
    try:
        step = services.step_take(appeal=appeal, user=request.user, number=_step_number(request))
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    messages.success(
        request,
        _("Anda mengerjakan langkah %(step)s banding %(number)s.")
        % {"step": step.number, "number": appeal.number},
    )
    return redirect(_back(request, public_id))


@staff_required
@require_POST
def release(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """Lepaskan: the open step is nobody's again."""
    appeal = appeal_or_404(request, public_id)
    try:
        step = services.step_release(appeal=appeal, user=request.user, number=_step_number(request))
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    messages.success(
        request,
        _("Langkah %(step)s banding %(number)s dilepaskan.")
        % {"step": step.number, "number": appeal.number},
    )
    return redirect(_back(request, public_id))
