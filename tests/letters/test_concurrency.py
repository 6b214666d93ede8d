"""50 signers issuing letters of one kind at once get 50 distinct consecutive numbers
(PostgreSQL: real threads, real transactions, the sequence row lock)."""

import pytest

from banding.letters import services
from banding.letters.models import Letter, LetterStatus
from tests.concurrency import errors_of, in_threads
from tests.factories import register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COUNT = 50


def test_concurrent_issuances_get_consecutive_numbers(p, monkeypatch):
    # The lock, not the layout, is under test: skip WeasyPrint.
    monkeypatch.setattr(
        "banding.letters.render.render_pdf", lambda letter: f"%PDF-1.7 {letter.number}".encode()
    )
    appeal = register(p)
    drafts = [
        services.letter_draft(appeal=appeal, user=p.staff, kind="tanda_terima")
        for _ in range(COUNT)
    ]
    results = in_threads(COUNT, lambda i: services.letter_issue(letter=drafts[i], user=p.staff))
    assert errors_of(results) == []
    issued = Letter.objects.filter(status=LetterStatus.ISSUED)
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, COUNT + 1))
    assert issued.values("number").distinct().count() == COUNT
