"""Steps 3 and 9: the similar earlier appeals shown are recorded with those the verifier or
the panel confirm having considered (services.considered)."""

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Decision
from banding.appeals.services import considered
from banding.errors import Invalid
from banding.letters import render
from banding.letters import services as letters
from banding.letters.kinds import Kind
from banding.sop import definition as sop
from tests.factories import present_seats, register, walk
from tests.state import refused


@pytest.fixture
def earlier(p):
    """A closed appeal of the same customer and reference document: similar to the next."""
    return walk(p, register(p), 13)


def verify(p, appeal, **overrides):
    fields = dict(
        appeal=appeal,
        user=p.lead,
        checklist=dict.fromkeys(sop.step(3).checklist, True),
        relevant=True,
        reasons="Banding relevan.",
        technical_team=p.team_a,
    )
    fields.update(overrides)
    return services.appeal_verify(**fields)


def recorded(appeal):
    return appeal.steps.get(completed_at__isnull=True).recorded_data


def test_the_verifier_confirms_the_similar_appeals_considered(p, earlier):
    appeal = register(p)

    verify(p, appeal, similar_considered=[str(earlier.public_id)], similar_confirmed=True)

    assert recorded(appeal)["similar"] == {
        "shown": [
            {
                "id": str(earlier.public_id),
                "number": earlier.number,
                "outcome": "Diterima sebagian",
                "reasons": [
                    "kata yang sama dalam alasan",
                    "dokumen acuan sama",
                    "pelanggan sama",
                    "jenis layanan sama",
                ],
            }
        ],
        "considered": [str(earlier.public_id)],
        "confirmed": True,
    }


def test_the_verifier_may_consider_none_of_them_but_must_say_so(p, earlier):
    appeal = register(p)
    verify(p, appeal, similar_confirmed=True)

    assert recorded(appeal)["similar"]["considered"] == []
    assert recorded(appeal)["similar"]["confirmed"] is True


@pytest.mark.parametrize("relevant", [True, False])
def test_step_3_is_refused_without_the_confirmation(p, earlier, relevant):
    appeal = register(p)
    error = refused(
        lambda: verify(p, appeal, relevant=relevant, similar_considered=[str(earlier.public_id)]),
        Invalid,
        considered.UNCONFIRMED,
        "similar_unconfirmed",
    )
    assert error.fields == {"similar_confirmed": [considered.UNCONFIRMED]}


def test_an_appeal_not_shown_cannot_be_claimed_as_considered(p, earlier):
    appeal = register(p)
    other = register(p)  # open: never a similar appeal
    refused(
        lambda: verify(
            p, appeal, similar_considered=[str(other.public_id)], similar_confirmed=True
        ),
        Invalid,
        considered.NOT_SHOWN,
        "similar_unknown",
    )


def test_without_similar_appeals_no_confirmation_is_asked(p):
    appeal = register(p)
    verify(p, appeal)

    assert recorded(appeal)["similar"] == {"shown": [], "considered": [], "confirmed": False}


def decide(p, appeal, **overrides):
    fields = dict(
        appeal=appeal,
        user=p.panel[0],
        meeting_at=timezone.now(),
        place="Ruang Rapat 2",
        attendance=present_seats(appeal),
        minutes="Panel membahas laporan investigasi.",
        decision=Decision.DISMISSED,
        reasons="Hasil uji sesuai metode.",
    )
    fields.update(overrides)
    return services.panel_decide(**fields)


def test_the_panel_confirms_the_similar_appeals_considered_and_the_minutes_list_them(p, earlier):
    appeal = walk(p, register(p), 9)

    decide(p, appeal, similar_considered=[str(earlier.public_id)], similar_confirmed=True)

    assert recorded(appeal)["similar"]["considered"] == [str(earlier.public_id)]
    html = render.render_html(
        letters.letter_draft(appeal=appeal, user=p.panel[0], kind=Kind.NOTULEN)
    )
    assert "Banding serupa sebelumnya yang dipertimbangkan" in html
    assert f"<li>{earlier.number} — Diterima sebagian</li>" in html


def test_step_9_is_refused_without_the_confirmation(p, earlier):
    appeal = walk(p, register(p), 9)
    refused(lambda: decide(p, appeal), Invalid, considered.UNCONFIRMED, "similar_unconfirmed")
