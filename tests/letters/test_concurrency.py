"""50 signers issuing letters of one kind at once get 50 distinct consecutive numbers
(PostgreSQL: real threads, real transactions, the sequence row lock)."""

import pytest

from banding.appeals import services as services_appeal
from banding.letters import services
from banding.letters.models import Letter, LetterStatus
from tests.concurrency import errors_of, in_threads
from tests.factories import PASSWORD, register, walk
from tests.letters.conftest import number_pdf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COUNT = 50


def test_concurrent_issuances_get_consecutive_numbers(p, monkeypatch):
    # The lock, not the layout, is under test: skip WeasyPrint.
    monkeypatch.setattr("banding.letters.render.render_pdf", number_pdf)
    # Invitations: the one kind of which a step may have many.
    appeal = walk(p, register(p), 7)
    services_appeal.panel_declare(appeal=appeal, user=p.panel[0])
    drafts = [
        services.letter_draft(
            appeal=appeal,
            user=p.panel[0],
            kind="undangan",
            fields={"waktu": "Senin 09.00 WIB", "tempat": "Ruang Rapat 1"},
        )
        for _ in range(COUNT)
    ]
    results = in_threads(
        COUNT,
        lambda i: services.letter_issue(letter=drafts[i], user=p.head, password=PASSWORD),
    )
    assert errors_of(results) == []
    issued = Letter.objects.filter(status=LetterStatus.ISSUED, kind="undangan")
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, COUNT + 1))
    assert issued.values("number").distinct().count() == COUNT
