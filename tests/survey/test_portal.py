"""The survey on the customer's portal page: the questionnaire once the appeal is closed,
thanks once answered; POST /portal/banding/<uuid>/survei/."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.survey.elements import CODES, ELEMENTS
from banding.survey.models import SurveyResponse
from tests.factories import register
from tests.survey.conftest import answer, archived, rejected


def page_url(appeal) -> str:
    return reverse("portal:appeal", args=[appeal.public_id])


def survey_url(appeal) -> str:
    return reverse("portal:survey_answer", args=[appeal.public_id])


def form_data(**overrides) -> dict:
    data = {code: "3" for code in CODES}
    data["comment"] = "Terima kasih."
    data.update(overrides)
    return data


def test_no_survey_while_the_appeal_is_open(client, p):
    appeal = register(p)
    client.force_login(p.customer)
    body = client.get(page_url(appeal)).content.decode()
    assert 'id="survei"' not in body


def test_a_closed_appeal_offers_the_nine_questions(client, p):
    appeal = archived(p)
    client.force_login(p.customer)

    body = client.get(page_url(appeal)).content.decode()

    assert "Survei kepuasan" in body
    assert f'action="{survey_url(appeal)}"' in body
    for element in ELEMENTS:
        assert element.question in body
        for label in element.answers:
            assert label in body
    assert body.count('type="radio"') == 9 * 4


def test_the_customer_answers_and_is_thanked(client, p):
    appeal = rejected(p)
    client.force_login(p.customer)

    response = client.post(survey_url(appeal), form_data(u1="4", u8="2"))

    assert response.status_code == 302
    assert response["Location"] == page_url(appeal)
    saved = SurveyResponse.objects.get()
    assert (saved.u1, saved.u8, saved.u9, saved.comment) == (4, 2, 3, "Terima kasih.")
    body = client.get(response["Location"]).content.decode()
    assert "Terima kasih; jawaban survei Anda tersimpan." in body
    assert "Anda telah mengisi Survei Kepuasan Masyarakat untuk banding ini" in body
    assert f'action="{survey_url(appeal)}"' not in body


def test_a_missing_answer_keeps_the_others(client, p):
    appeal = rejected(p)
    client.force_login(p.customer)
    data = form_data(u2="4")
    del data["u3"]

    response = client.post(survey_url(appeal), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith("<section")
    assert "Nilai U3 (Waktu penyelesaian) wajib dipilih." in body
    assert 'value="4" class="form-check-input" id="survei-u2_3" required checked' in body
    assert not SurveyResponse.objects.exists()


def test_a_score_out_of_range_is_refused(client, p):
    appeal = rejected(p)
    client.force_login(p.customer)
    response = client.post(survey_url(appeal), form_data(u5="5"))
    assert response.status_code == 400
    assert "Nilai U5 (Produk spesifikasi jenis pelayanan) harus 1, 2, 3 atau 4." in (
        response.content.decode()
    )


def test_a_second_answer_is_refused_with_409(client, p):
    appeal = rejected(p)
    answer(p, appeal, 4)
    client.force_login(p.customer)

    response = client.post(survey_url(appeal), form_data())

    assert response.status_code == 409
    assert "sudah diisi pada" in response.content.decode()
    assert SurveyResponse.objects.get().u1 == 4


def test_an_open_appeal_refuses_a_posted_survey(client, p):
    appeal = register(p)
    client.force_login(p.customer)
    response = client.post(survey_url(appeal), form_data())
    assert response.status_code == 409
    assert (
        f"Survei kepuasan dapat diisi setelah banding {appeal.number} selesai."
        in response.content.decode()
    )
    assert not SurveyResponse.objects.exists()


def test_another_organisation_gets_404(client, p):
    appeal = rejected(p)
    client.force_login(p.customer_other)
    assert client.get(page_url(appeal)).status_code == 404
    assert client.post(survey_url(appeal), form_data()).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_staff_posting_to_the_portal_are_sent_to_their_workspace(client, p):
    appeal = rejected(p)
    client.force_login(p.staff)
    response = client.post(survey_url(appeal), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[appeal.public_id])
    assert not SurveyResponse.objects.exists()


def test_the_closed_page_costs_a_fixed_number_of_queries(client, p, django_assert_max_num_queries):
    appeal = rejected(p)
    client.force_login(p.customer)
    client.get(page_url(appeal))
    with CaptureQueriesContext(connection) as unanswered:
        client.get(page_url(appeal))
    answer(p, appeal, 4)
    with django_assert_max_num_queries(len(unanswered.captured_queries)):
        client.get(page_url(appeal))
