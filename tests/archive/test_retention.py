"""The retention schedule (JRA) of a closed appeal's file, computed and shown."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from banding.appeals.models import Appeal
from banding.archive.retention import add_years, retention_of
from tests.factories import register


def test_an_open_appeal_has_no_retention_yet(p):
    assert retention_of(register(p)) is None


def test_default_schedule_counts_from_the_closing_day_in_wib(p, closed_appeal):
    # 23:30 UTC on 31 March is already 1 April in WIB.
    Appeal.objects.filter(pk=closed_appeal.pk).update(
        closed_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    )
    closed_appeal.refresh_from_db()
    retention = retention_of(closed_appeal)
    assert (retention.closed_on, retention.active_until, retention.inactive_until) == (
        date(2026, 4, 1),
        date(2028, 4, 1),
        date(2033, 4, 1),
    )
    assert retention.disposition == "dinilai kembali"
    assert retention.phase(date(2029, 1, 1)) == "inaktif"


def test_the_schedule_is_a_setting(p, closed_appeal, settings):
    settings.BANDING_RETENTION = {
        "berkas banding": {
            "label": "Berkas banding",
            "active_years": 1,
            "inactive_years": 10,
            "disposition": "permanen",
        }
    }
    retention = retention_of(closed_appeal)
    closed_on = retention.closed_on
    assert retention.active_until == add_years(closed_on, 1)
    assert retention.inactive_until == add_years(closed_on, 11)
    assert retention.disposition == "permanen"


def test_an_unknown_disposition_is_refused_by_name(p, closed_appeal, settings):
    settings.BANDING_RETENTION = {
        "berkas banding": {"active_years": 1, "inactive_years": 1, "disposition": "dibakar"}
    }
    with pytest.raises(ValueError, match="Nasib akhir 'dibakar' tidak dikenal"):
        retention_of(closed_appeal)


def test_29_february_moves_to_28_february():
    assert add_years(date(2028, 2, 29), 2) == date(2030, 2, 28)


def test_the_appeal_page_shows_the_retention_dates(client, p, closed_appeal):
    Appeal.objects.filter(pk=closed_appeal.pk).update(
        closed_at=datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    )
    client.force_login(p.staff)
    page = client.get(reverse("appeals:detail", args=[closed_appeal.public_id])).content.decode()
    assert 'Aktif sampai</dt><dd class="col-sm-8">24 November 2028' in page
    assert 'Inaktif sampai</dt><dd class="col-sm-8">24 November 2033' in page
    assert "Dinilai kembali" in page
