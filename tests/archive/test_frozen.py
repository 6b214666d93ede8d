"""A closed or rejected appeal is a frozen file: no upload, no step, through web and API."""

import pytest

from banding.appeals.models import Document, Status
from tests.archive.conftest import closed, rejected
from tests.factories import pdf
from tests.web.helpers import action_url, detail_url

CLOSED_MESSAGE = "Banding {number} sudah ditutup; berkasnya tidak dapat ditambah."
MAKERS = {"closed": closed, "rejected": rejected}


@pytest.mark.parametrize("status", ["closed", "rejected"])
def test_web_upload_to_a_closed_appeal_is_refused_with_the_message(client, p, status):
    appeal = MAKERS[status](p)
    assert appeal.status == Status(status)
    documents = Document.objects.count()
    client.force_login(p.staff)
    response = client.post(
        action_url(appeal, "dokumen"), {"kind": "other", "upload": pdf("tambahan.pdf")}
    )
    assert response.status_code == 409
    assert CLOSED_MESSAGE.format(number=appeal.number) in response.content.decode()
    assert Document.objects.count() == documents


@pytest.mark.parametrize("status", ["closed", "rejected"])
def test_api_upload_to_a_closed_appeal_is_refused_with_the_message(api, p, status):
    appeal = MAKERS[status](p)
    documents = Document.objects.count()
    response = api(p.staff).upload(
        f"/appeals/{appeal.public_id}/documents", {"kind": "other", "file": pdf("tambahan.pdf")}
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["message"]) == (
        "appeal_closed",
        CLOSED_MESSAGE.format(number=appeal.number),
    )
    assert Document.objects.count() == documents


def test_the_page_of_a_closed_appeal_offers_no_upload_and_says_it_is_frozen(client, p):
    appeal = closed(p)
    client.force_login(p.staff)
    page = client.get(detail_url(appeal)).content.decode()
    assert action_url(appeal, "dokumen") not in page
    assert "dibekukan: tidak dapat ditambah atau diubah" in page
