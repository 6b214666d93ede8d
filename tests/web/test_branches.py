"""Both branches of SOP 5.1.24, end to end, driven through the web views as the right user
at each step."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from banding.appeals.models import Appeal, Decision, Document, DocumentKind, Note, Status
from banding.audit.models import Event
from tests.factories import PASSWORD, PDF_BYTES, PNG_BYTES, pdf
from tests.web.helpers import action_url, detail_url, local, valid_data


def intake(client, p, **overrides):
    client.force_login(p.staff)
    now = timezone.now()
    data = {
        "organization": p.org.pk,
        "contact_name": "Budi Santoso",
        "contact_email": "budi@kimia.example",
        "contact_phone": "021-555-0101",
        "channel": "courier",
        "received_at": local(now - timedelta(hours=2)),
        "complaint_reference": "KEL/2026/017",
        "complaint_outcome_date": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "service_type": "pengujian",
        "reference_document": "LHU-2026-0456",
        "grounds": "Hasil uji kadar air tidak sesuai.",
        "remedy_sought": "Pengujian ulang dengan sampel arsip.",
        "involved_persons": [p.panel[3].pk],
        "involved_note": "Analis laboratorium pihak ketiga.",
        "letter": pdf("surat-banding.pdf"),
        "attachments": [pdf("lampiran-1.pdf"), pdf("foto.png", PNG_BYTES)],
    }
    data.update(overrides)
    response = client.post(reverse("appeals:intake"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert response["Location"] == detail_url(appeal)
    page = client.get(response["Location"])
    assert f"Banding tercatat dengan nomor register {appeal.number}." in page.content.decode()
    return appeal


def act(client, user, appeal, slug, data, **extra):
    client.force_login(user)
    response = client.post(action_url(appeal, slug), data, **extra)
    assert response.status_code in (200, 302), response.content.decode()[:3000]
    appeal.refresh_from_db()
    return response


def letter(client, drafter, signer, appeal, kind, **parts):
    """A letter drafted from the step card (Buat draf), its parts saved, issued by its signer
    with their password: through the letter pages."""
    client.force_login(drafter)
    response = client.post(reverse("letters:draft", args=[appeal.public_id, kind]))
    assert response.status_code == 302, response.content.decode()[:2000]
    url = response["Location"]
    if parts:
        assert client.post(url, parts).status_code == 302
    client.force_login(signer)
    issued = client.post(url + "terbitkan/", {"password": PASSWORD})
    assert issued.status_code == 302, issued.content.decode()[:3000]
    return appeal.letters.get(kind=kind, status="issued", occurrence__completed_at__isnull=True)


def complete(client, user, appeal):
    return act(client, user, appeal, "selesaikan", {"number": appeal.current_step})


def test_not_relevant_branch_ends_rejected_through_the_web(client, p):
    appeal = intake(client, p)
    assert appeal.current_step == 3
    assert [d.kind for d in appeal.documents.all()] == [
        DocumentKind.APPEAL_LETTER,
        DocumentKind.SUPPORTING,
        DocumentKind.SUPPORTING,
    ]
    assert appeal.documents.get(kind=DocumentKind.APPEAL_LETTER).file.read() == PDF_BYTES
    assert list(appeal.involved_persons.all()) == [p.panel[3]]

    act(
        client,
        p.lead,
        appeal,
        "verifikasi",
        {
            "checklist": ["Surat permohonan banding"],
            "relevant": "not_relevant",
            "reasons": "Bukan banding atas hasil penanganan keluhan.",
        },
    )
    assert (appeal.current_step, appeal.relevant) == (4, False)
    client.force_login(p.staff)  # the letter first: the delivery form waits for it
    page = client.get(detail_url(appeal))
    assert page.context["blocked"] == {"tolak"}
    refused = client.post(action_url(appeal, "tolak"), valid_data(p, "tolak"))
    assert refused.status_code == 409
    assert "Surat penolakan banding belum terbit" in refused.content.decode()

    rejection = letter(client, p.staff, p.lead, appeal, "penolakan", perihal="Penolakan banding")
    assert rejection.signed_as == "a.n. Kepala Balai\nKetua Tim PJTK"
    response = act(client, p.staff, appeal, "tolak", valid_data(p, "tolak"))
    assert response["Location"] == detail_url(appeal)

    assert appeal.status == Status.REJECTED
    assert appeal.current_step is None
    assert appeal.delivery_channel == "email"
    assert [s.number for s in appeal.steps.order_by("id")] == [1, 2, 3, 4]
    assert list(Event.objects.filter(appeal=appeal).values_list("action", flat=True)) == [
        "appeal.registered",
        "document.added",
        "document.added",
        "document.added",
        "step.3.not_relevant",
        "letter.drafted",
        "letter.updated",
        "letter.issued",
        "step.4.rejected",
    ]


def test_relevant_branch_ends_decided_and_archived_through_the_web(client, p):
    appeal = intake(client, p, attachments=[])
    chair, member = p.panel[0], p.panel[1]

    act(client, p.lead, appeal, "verifikasi", valid_data(p, "verifikasi"))
    assert appeal.current_step == 3  # recorded: the nota dinas is made from it
    refused = client.post(action_url(appeal, "selesaikan"), {"number": 3})
    assert refused.status_code == 409
    letter(client, p.lead, p.lead, appeal, "nota_dinas")
    complete(client, p.lead, appeal)
    assert (appeal.current_step, appeal.technical_team) == (5, p.team_a)
    act(client, p.tech, appeal, "usul-panel", valid_data(p, "usul-panel"))
    letter(client, p.tech, p.tech, appeal, "usulan_panel")
    complete(client, p.tech, appeal)
    assert appeal.current_step == 6
    client.force_login(p.head)
    appoint = client.get(detail_url(appeal)).context["shown"][0].form
    assert appoint["members"].value() == [u.pk for u in p.panel[:3]]  # prefilled proposal
    act(client, p.head, appeal, "tunjuk-panel", valid_data(p, "tunjuk-panel"))
    letter(client, p.staff, p.head, appeal, "penunjukan_panel")
    complete(client, p.head, appeal)
    assert appeal.current_step == 7

    act(client, chair, appeal, "pernyataan", {})
    act(client, member, appeal, "pernyataan", {})
    act(client, chair, appeal, "catatan", valid_data(p, "catatan"))
    assert Note.objects.get(appeal=appeal).kind == "contact"
    act(client, chair, appeal, "laporan", valid_data(p, "laporan"))
    assert appeal.current_step == 9
    act(client, chair, appeal, "putuskan", valid_data(p, "putuskan"))
    letter(client, chair, chair, appeal, "daftar_hadir")
    letter(client, chair, chair, appeal, "notulen")
    complete(client, chair, appeal)
    assert (appeal.current_step, appeal.decision) == (10, Decision.PARTLY)

    first = letter(client, p.head, p.head, appeal, "keputusan")
    act(client, p.head, appeal, "kembalikan", valid_data(p, "kembalikan"))
    assert (appeal.current_step, appeal.decision) == (9, "")
    first.refresh_from_db()
    assert first.status == "withdrawn"
    # The second meeting, this time through htmx: the answer tells the browser where to go.
    response = act(
        client, member, appeal, "putuskan", valid_data(p, "putuskan"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == detail_url(appeal)
    letter(client, member, chair, appeal, "daftar_hadir")
    letter(client, member, chair, appeal, "notulen")
    complete(client, member, appeal)
    second = letter(client, p.staff, p.head, appeal, "keputusan", perihal="Keputusan banding")
    assert second.number != first.number
    act(client, p.head, appeal, "setujui", valid_data(p, "setujui"))
    assert appeal.current_step == 11
    assert appeal.decision_approved_at is not None
    act(client, p.lead, appeal, "disposisi", valid_data(p, "disposisi"))
    letter(client, p.staff, p.head, appeal, "penyampaian")
    act(client, p.staff, appeal, "tutup", valid_data(p, "tutup"))

    assert appeal.status == Status.CLOSED
    assert appeal.current_step is None
    assert (appeal.archive_cabinet, appeal.archive_box, appeal.archive_folder) == (
        "L-01",
        "B-2026",
        "M-017",
    )
    assert [s.number for s in appeal.steps.order_by("id")] == [
        1, 2, 3, 5, 6, 7, 9, 10, 9, 10, 11, 12,
    ]  # fmt: skip
    assert list(appeal.panel_seats.values_list("user", "role")) == [
        (chair.pk, "chair"),
        (member.pk, "member"),
        (p.panel[2].pk, "member"),
    ]
    assert Document.objects.filter(appeal=appeal, kind=DocumentKind.INVESTIGATION_REPORT).exists()
    steps = Event.objects.filter(appeal=appeal, action__startswith="step.")
    assert list(steps.values_list("action", flat=True)) == [
        "step.3.pending",
        "step.3.relevant",
        "step.5.pending",
        "step.5.proposed",
        "step.6.pending",
        "step.6.appointed",
        "step.7.investigated",
        "step.9.pending",
        "step.9.decided",
        "step.10.returned",
        "step.9.pending",
        "step.9.decided",
        "step.10.approved",
        "step.11.dispositioned",
        "step.12.closed",
    ]
    issued = appeal.letters.filter(status__in=["issued", "withdrawn"]).order_by("pk")
    assert list(issued.values_list("kind", "status")) == [
        ("nota_dinas", "issued"),
        ("usulan_panel", "issued"),
        ("penunjukan_panel", "issued"),
        ("daftar_hadir", "issued"),
        ("notulen", "issued"),
        ("keputusan", "withdrawn"),
        ("daftar_hadir", "issued"),
        ("notulen", "issued"),
        ("keputusan", "issued"),
        ("penyampaian", "issued"),
    ]
    page = client.get(detail_url(appeal)).content.decode()
    assert "Banding selesai" in page
    assert "Lemari L-01 / boks B-2026 / map M-017" in page
