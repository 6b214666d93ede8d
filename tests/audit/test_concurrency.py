"""Many writers of the log at once on PostgreSQL: the chain head lock keeps one chain."""

import pytest
from django.db import transaction

from banding.audit.log import record
from banding.audit.models import ChainHead, Event
from banding.audit.verify import verify_log
from tests.concurrency import errors_of, in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_records_keep_one_valid_chain():
    threads_count, per_thread = 8, 10

    def write(i: int) -> None:
        for n in range(per_thread):
            with transaction.atomic():
                record(action="register.exported", summary=f"Penulis {i}, peristiwa {n}")

    errors = errors_of(in_threads(threads_count, write))

    assert errors == []
    total = threads_count * per_thread
    assert Event.objects.count() == total
    # No two events claim the same predecessor: the chain did not fork.
    assert len(set(Event.objects.values_list("prev_hash", flat=True))) == total
    assert ChainHead.objects.get(chain=ChainHead.NO_APPEAL).count == total
    verdict = verify_log()
    assert (verdict.ok, verdict.count) == (True, total)
