"""Tugas saya and the buku agenda banding: content, filters, pagination, and a query count
that does not grow with the number of appeals."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import ServiceType
from tests.factories import register, rejection_letter, walk
from tests.web.test_queue import INBOX_QUERIES


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_inbox_lists_the_users_open_steps_oldest_first(client, p):
    first, second = register(p), register(p)
    walk(p, register(p), 5)  # the technical team's turn, not the lead's
    client.force_login(p.lead)
    response = client.get(reverse("appeals:inbox"))
    assert [a.number for a in response.context["page"].object_list] == [
        first.number,
        second.number,
    ]
    body = response.content.decode()
    assert "3. Verifikasi kelengkapan dan relevansi" in body
    assert "Ketua Tim PJTK" in body
    assert "PT Kimia Nusantara" in body


def test_inbox_of_a_technical_team_names_the_team(client, p):
    appeal = walk(p, register(p), 5)
    client.force_login(p.tech)
    body = client.get(reverse("appeals:inbox")).content.decode()
    assert appeal.number in body
    assert "Bagian/Tim Teknis: Tim Pengujian" in body
    client.force_login(p.tech_other)
    body = client.get(reverse("appeals:inbox")).content.decode()
    assert appeal.number not in body
    assert "Tidak ada tugas yang menunggu Anda saat ini." in body


def test_the_panels_turn_is_in_the_inbox_of_its_members_only(client, p):
    appeal = walk(p, register(p), 7)
    decided = walk(p, register(p), 10)  # the same panel, its turn over: the head's now
    assert appeal.current_actor == "TPB" and decided.current_actor == "KAB"
    client.force_login(p.panel[0])
    assert [a.number for a in client.get(reverse("appeals:inbox")).context["page"]] == [
        appeal.number
    ]
    client.force_login(p.panel[3])  # technical staff, not seated on this panel
    body = client.get(reverse("appeals:inbox")).content.decode()
    assert appeal.number not in body and decided.number not in body


def test_inbox_and_register_make_the_same_number_of_queries_with_5_and_50_appeals(client, p):
    for _ in range(5):
        register(p)
    inbox_url, register_url = reverse("appeals:inbox"), reverse("appeals:register")
    filtered_url = register_url + "?q=BDG&status=open&step=3&service_type=pengujian"
    client.force_login(p.lead)
    few = (queries(client, inbox_url), queries(client, register_url), queries(client, filtered_url))
    for _ in range(45):
        register(p)
    client.force_login(p.lead)
    many = (
        queries(client, inbox_url),
        queries(client, register_url),
        queries(client, filtered_url),
    )
    assert many == few
    assert few[0] == INBOX_QUERIES  # tests/web/test_queue.py: what they are


def test_register_filters_by_every_field(client, p):
    testing = register(p)
    calibration = register(p, service_type=ServiceType.CALIBRATION, organization=p.org_other)
    rejected = services.appeal_verify(
        appeal=register(p), user=p.lead, checklist={}, relevant=False, reasons="Tidak relevan."
    )
    rejection_letter(p, rejected)
    services.appeal_reject(
        appeal=rejected,
        user=p.staff,
        delivered_at=timezone.now(),
        channel="email",
    )
    old = register(
        p,
        received_at=timezone.now() - timedelta(days=40),
        complaint_outcome_date=timezone.localdate() - timedelta(days=50),
    )
    client.force_login(p.auditor)

    def numbers(**params) -> set[str]:
        response = client.get(reverse("appeals:register"), params)
        assert response.status_code == 200
        return {a.number for a in response.context["page"].object_list}

    everything = {testing.number, calibration.number, rejected.number, old.number}
    assert numbers() == everything
    assert numbers(q="Farmasi") == {calibration.number}
    assert numbers(q=testing.number) == {testing.number}
    assert numbers(status="rejected") == {rejected.number}
    assert numbers(step="3") == {testing.number, calibration.number, old.number}
    assert numbers(service_type="kalibrasi") == {calibration.number}
    day = timezone.localdate() - timedelta(days=40)
    assert numbers(received_from=day.isoformat(), received_to=day.isoformat()) == {old.number}
    assert numbers(received_from=(day + timedelta(days=1)).isoformat()) == everything - {old.number}


def test_register_reports_invalid_filters_and_still_lists(client, p):
    appeal = register(p)
    client.force_login(p.staff)
    response = client.get(
        reverse("appeals:register"),
        {"step": "8", "received_from": "kemarin", "status": "open"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"step", "received_from"}
    assert form.errors["received_from"] == ["Masukkan tanggal yang valid."]
    assert "Sebagian saringan tidak dapat dipakai dan diabaikan" in response.content.decode()
    assert [a.number for a in response.context["page"].object_list] == [appeal.number]

    response = client.get(
        reverse("appeals:register"), {"received_from": "2026-05-02", "received_to": "2026-05-01"}
    )
    assert response.context["form"].errors["received_to"] == [
        "Tanggal akhir harus sama atau setelah tanggal awal."
    ]


def test_register_pages_keep_the_filters(client, p, settings):
    settings.BANDING_PAGE_SIZE = 2
    appeals = [register(p) for _ in range(3)]
    client.force_login(p.staff)
    response = client.get(reverse("appeals:register"), {"q": "BDG", "status": "open"})
    assert response.context["page"].paginator.num_pages == 2
    body = response.content.decode()
    assert 'href="?q=BDG&amp;status=open&amp;page=2"' in body
    response = client.get(reverse("appeals:register"), {"q": "BDG", "status": "open", "page": 2})
    assert [a.number for a in response.context["page"].object_list] == [appeals[0].number]


def test_register_answers_htmx_with_the_results_only(client, p):
    register(p)
    client.force_login(p.staff)
    response = client.get(reverse("appeals:register"), {"q": "BDG"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="hasil">')
    assert "<html" not in body


def test_head_sees_nota_dinas_to_acknowledge(client, p):
    appeal = walk(p, register(p), 5)
    client.force_login(p.head)
    response = client.get(reverse("appeals:inbox"))
    assert [a.pk for a in response.context["acknowledgements"]] == [appeal.pk]
    assert "Nota dinas untuk diketahui" in response.content.decode()


def test_only_the_head_gets_nota_dinas_to_acknowledge(client, p):
    walk(p, register(p), 5)
    client.force_login(p.lead)
    response = client.get(reverse("appeals:inbox"))
    assert response.context["acknowledgements"] == []
