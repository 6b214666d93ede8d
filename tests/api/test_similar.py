"""GET /api/v1/appeals/{id}/similar: similar earlier appeals, for the verifier, the panel,
the head and auditors; never for customers."""

from __future__ import annotations

import pytest

from tests.factories import walk
from tests.similar_history import build

REFUSED = (
    "Banding serupa hanya dapat dilihat oleh Ketua Tim PJTK, Tim Panel Banding banding ini, "
    "Kepala Balai dan auditor."
)


@pytest.fixture
def h(p, time_machine):
    return build(p, time_machine)


def path(appeal) -> str:
    return f"/appeals/{appeal.public_id}/similar"


def test_the_lead_gets_the_similar_closed_appeals_best_first(api, p, h):
    response = api(p.lead).get(path(h.target))

    assert response.status_code == 200
    body = response.json()
    assert [row["number"] for row in body] == [
        h.same_reference.number,
        h.same_words.number,
        h.same_customer.number,
        h.rejected.number,
    ]
    first = body[0]
    assert first["id"] == str(h.same_reference.public_id)
    assert first["organization"] == {"id": str(p.org.public_id), "name": "PT Kimia Nusantara"}
    assert first["outcome"] == "Diterima sebagian"
    assert first["score"] == 6.0
    assert first["reasons"] == ["dokumen acuan sama", "pelanggan sama", "jenis layanan sama"]
    assert first["closed_at"].startswith("2026-03-02")
    assert body[3]["status"] == "rejected"
    assert body[3]["outcome"] == "Ditolak tidak relevan"


def test_the_appeals_panel_member_gets_them(api, p, h):
    appeal = walk(p, h.target, 7)
    assert api(p.panel[2]).get(path(appeal)).status_code == 200


@pytest.mark.parametrize("who", ["staff", "tech", "customer"])
def test_staff_technical_users_and_the_appeals_own_customer_are_refused(api, p, h, who):
    # The technical user of the appeal's team (a part in it, so it opens the appeal), not of
    # its panel; one without any part is refused the appeal itself (test_need_to_know).
    target = walk(p, h.target, 5) if who == "tech" else h.target
    response = api(getattr(p, who)).get(path(target))
    assert response.status_code == 403
    assert response.json() == {"code": "not_your_role", "message": REFUSED, "fields": {}}


def test_another_customer_is_told_the_appeal_does_not_exist(api, p, h):
    response = api(p.customer_other).get(path(h.target))
    assert response.status_code == 404
    assert response.json()["message"] == "Banding tidak ditemukan."


def test_anonymous_callers_are_refused(api, h):
    assert api().get(path(h.target)).status_code == 401
