"""Document downloads: only to users who may see the appeal and that document."""

from __future__ import annotations

from django.urls import reverse

from banding.appeals.models import DocumentKind
from tests.factories import PDF_BYTES, register, walk


def url(doc) -> str:
    return reverse("appeals:document", args=[doc.appeal.public_id, doc.public_id])


def test_staff_downloads_a_document_as_an_attachment(client, p):
    letter = register(p).documents.get()
    client.force_login(p.auditor)
    response = client.get(url(letter))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="surat-banding.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_customer_downloads_its_own_organisations_letter(client, p):
    letter = register(p).documents.get()
    client.force_login(p.customer)
    response = client.get(url(letter))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_other_organisations_customer_gets_404(client, p):
    letter = register(p).documents.get()
    client.force_login(p.customer_other)
    assert client.get(url(letter)).status_code == 404


def test_customer_gets_404_for_an_internal_document(client, p):
    appeal = walk(p, register(p), 9)
    report = appeal.documents.get(kind=DocumentKind.INVESTIGATION_REPORT)
    client.force_login(p.customer)
    assert client.get(url(report)).status_code == 404
    client.force_login(p.staff)
    assert client.get(url(report)).status_code == 200


def test_document_of_another_appeal_is_404(client, p):
    letter = register(p).documents.get()
    other = register(p)
    client.force_login(p.staff)
    wrong = reverse("appeals:document", args=[other.public_id, letter.public_id])
    assert client.get(wrong).status_code == 404


def test_anonymous_is_sent_to_login(client, p):
    letter = register(p).documents.get()
    response = client.get(url(letter))
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=")
