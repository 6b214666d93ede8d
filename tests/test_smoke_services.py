from banding.appeals.models import Status
from tests.factories import register, walk


def test_relevant_branch_closes(p):
    appeal = register(p)
    assert appeal.number.startswith("BDG/")
    appeal = walk(p, appeal, 13)
    assert appeal.status == Status.CLOSED
    assert [s.number for s in appeal.steps.order_by("id")] == [1, 2, 3, 5, 6, 7, 9, 10, 11, 12]
