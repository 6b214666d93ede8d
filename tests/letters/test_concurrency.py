"""50 signers issuing letters of one kind at once get 50 distinct consecutive numbers
(PostgreSQL: real threads, real transactions, the sequence row lock)."""

import threading

import pytest
from django.db import connection

from banding.letters import services
from banding.letters.models import Letter, LetterStatus
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
    barrier = threading.Barrier(COUNT)
    errors: list[BaseException] = []

    def issue(letter: Letter) -> None:
        try:
            barrier.wait()
            services.letter_issue(letter=letter, user=p.staff)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    issued = Letter.objects.filter(status=LetterStatus.ISSUED)
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, COUNT + 1))
    assert issued.values("number").distinct().count() == COUNT
