"""Many writers of the log at once on PostgreSQL: the chain head lock keeps one chain."""

import threading

import pytest
from django.db import connection, transaction

from banding.audit.log import record
from banding.audit.models import ChainHead, Event
from banding.audit.verify import verify_log

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_records_keep_one_valid_chain():
    threads_count, per_thread = 8, 10
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                with transaction.atomic():
                    record(action="test.concurrent", summary=f"Penulis {i}, peristiwa {n}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    total = threads_count * per_thread
    assert Event.objects.count() == total
    # No two events claim the same predecessor: the chain did not fork.
    assert len(set(Event.objects.values_list("prev_hash", flat=True))) == total
    assert ChainHead.objects.get(chain=ChainHead.NO_APPEAL).count == total
    verdict = verify_log()
    assert (verdict.ok, verdict.count) == (True, total)
