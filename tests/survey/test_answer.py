"""survey_answer: the customer of a closed appeal answers its survey once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid, NotFound
from banding.survey.models import SurveyResponse
from tests.factories import make_user, register
from tests.state import persona
from tests.survey.conftest import answer, archived, rejected, scores


def refused_answer(action, error, message, code):
    events = Event.objects.count()
    with pytest.raises(error) as info:
        action()
    assert type(info.value) is error
    assert (info.value.message, info.value.code) == (message, code)
    assert not SurveyResponse.objects.exists()
    assert Event.objects.count() == events
    return info.value


def test_the_customer_answers_the_survey_of_an_archived_appeal(p):
    appeal = archived(p)

    response = answer(p, appeal, 4, 3, 3, 4, 3, 4, 4, 2, 3, comment="  Cepat dan jelas. ")

    assert SurveyResponse.objects.get() == response
    assert response.scores() == scores(4, 3, 3, 4, 3, 4, 4, 2, 3)
    assert (response.respondent, response.comment) == (p.customer, "Cepat dan jelas.")
    event = Event.objects.filter(action="survey.answered").get()
    assert (event.appeal, event.actor, event.public) == (appeal, p.customer, True)
    assert event.summary == "Pelanggan mengisi Survei Kepuasan Masyarakat"
    assert event.data == {"response": str(response.public_id)}  # no scores on the timeline


def test_a_rejected_appeal_is_surveyed_too(p):
    assert answer(p, rejected(p), 2).u1 == 2


def test_any_customer_account_of_the_organisation_may_answer(p):
    colleague = make_user("pelanggan_dua", organization=p.org)
    assert answer(p, rejected(p), user=colleague).respondent == colleague


def test_an_open_appeal_is_not_surveyed_yet(p):
    appeal = register(p)
    refused_answer(
        lambda: answer(p, appeal),
        Conflict,
        f"Survei kepuasan dapat diisi setelah banding {appeal.number} selesai.",
        "appeal_open",
    )


def test_a_second_answer_is_refused(p):
    appeal = rejected(p)
    answer(p, appeal, 4)

    with pytest.raises(Conflict) as info:
        answer(p, appeal, 1)

    assert info.value.message == (
        f"Survei kepuasan banding {appeal.number} sudah diisi pada Selasa, 10 Maret 2026 "
        "pukul 09:00 WIB; terima kasih."
    )
    assert info.value.code == "already_answered"
    assert SurveyResponse.objects.get().u1 == 4


def test_another_organisations_customer_is_told_it_does_not_exist(p):
    appeal = rejected(p)
    refused_answer(
        lambda: answer(p, appeal, user=p.customer_other),
        NotFound,
        "Banding tidak ditemukan.",
        "not_found",
    )


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "admin", "tech"])
def test_staff_do_not_answer_for_the_customer(p, who):
    appeal = rejected(p)
    refused_answer(
        lambda: answer(p, appeal, user=persona(p, who)),
        Forbidden,
        "Survei kepuasan diisi oleh pelanggan yang mengajukan banding ini.",
        "not_your_role",
    )


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"u3": 0}, {"u3": ["Nilai U3 (Waktu penyelesaian) harus 1, 2, 3 atau 4."]}),
        ({"u3": 5}, {"u3": ["Nilai U3 (Waktu penyelesaian) harus 1, 2, 3 atau 4."]}),
        ({"u4": "3"}, {"u4": ["Nilai U4 (Biaya/tarif) harus 1, 2, 3 atau 4."]}),
        ({"u4": True}, {"u4": ["Nilai U4 (Biaya/tarif) harus 1, 2, 3 atau 4."]}),
        ({"u4": 2.5}, {"u4": ["Nilai U4 (Biaya/tarif) harus 1, 2, 3 atau 4."]}),
        ({"u9": None}, {"u9": ["Nilai U9 (Sarana dan prasarana) wajib dipilih."]}),
        ({"u10": 4}, {"scores": ["Unsur survei tidak dikenal: u10."]}),
    ],
)
def test_scores_out_of_range_are_refused_per_element(p, change, fields):
    appeal = rejected(p)
    given = {**scores(3), **change}
    message = next(iter(fields.values()))[0]

    error = refused_answer(
        lambda: answer(p, appeal, scores=given), Invalid, message, "invalid_scores"
    )

    assert error.fields == fields


def test_every_problem_is_named_at_once(p):
    appeal = rejected(p)
    error = refused_answer(
        lambda: answer(p, appeal, scores={"u1": 9}),
        Invalid,
        "Nilai U1 (Persyaratan) harus 1, 2, 3 atau 4. Nilai U2 (Sistem, mekanisme, dan "
        "prosedur) wajib dipilih. Nilai U3 (Waktu penyelesaian) wajib dipilih. Nilai U4 "
        "(Biaya/tarif) wajib dipilih. Nilai U5 (Produk spesifikasi jenis pelayanan) wajib "
        "dipilih. Nilai U6 (Kompetensi pelaksana) wajib dipilih. Nilai U7 (Perilaku pelaksana) "
        "wajib dipilih. Nilai U8 (Penanganan pengaduan, saran dan masukan) wajib dipilih. "
        "Nilai U9 (Sarana dan prasarana) wajib dipilih.",
        "invalid_scores",
    )
    assert sorted(error.fields) == [f"u{i}" for i in range(1, 10)]


def test_a_comment_over_2000_characters_is_refused(p):
    appeal = rejected(p)
    error = refused_answer(
        lambda: answer(p, appeal, comment="x" * 2001),
        Invalid,
        "Saran dan komentar paling banyak 2000 karakter.",
        "invalid",
    )
    assert error.fields == {"comment": ["Saran dan komentar paling banyak 2000 karakter."]}


def test_the_database_refuses_a_score_outside_1_to_4(p):
    """The check constraints hold even for a write that bypasses the service."""
    appeal = rejected(p)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(appeal=appeal, respondent=p.customer, **scores(3) | {"u5": 7})


def test_the_admin_shows_answers_but_changes_none(client, p):
    response = answer(p, rejected(p), 4, comment="Baik.")
    root = get_user_model().objects.create_superuser("root", "root@balai.example", "x-12345678")
    client.force_login(root)

    changelist = client.get(reverse("admin:survey_surveyresponse_changelist"))
    change = client.get(reverse("admin:survey_surveyresponse_change", args=[response.pk]))
    delete = client.post(
        reverse("admin:survey_surveyresponse_delete", args=[response.pk]), {"post": "yes"}
    )

    assert changelist.status_code == 200
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert delete.status_code == 403
    assert SurveyResponse.objects.count() == 1
