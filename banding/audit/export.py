"""The audit log as a file: CSV or JSON, streamed, with exactly the page's filters. Exporting
the log is itself an event (`audit_log.exported`, an event of no appeal), written before the
rows are read, so a file of a period that includes today lists its own export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.audit.access import require_reader
from banding.audit.actions import Action
from banding.audit.log import record
from banding.audit.models import Event
from banding.audit.selectors import LogFilters, events
from banding.errors import Invalid
from banding.formats import WIB, csv_lines

FORMATS = ("csv", "json")
FIELDS = (  # JSON key, CSV header
    ("id", "ID"),
    ("time_wib", gettext_lazy("Waktu (WIB)")),
    ("time_utc", gettext_lazy("Waktu (UTC)")),
    ("actor", gettext_lazy("Pelaku")),
    ("action", gettext_lazy("Tindakan")),
    ("appeal", gettext_lazy("Nomor banding")),
    ("step", gettext_lazy("Langkah")),
    ("summary", gettext_lazy("Ringkasan")),
    ("public", gettext_lazy("Terlihat pelanggan")),
    ("data", gettext_lazy("Data")),
    ("hash", gettext_lazy("Hash")),
    ("prev_hash", gettext_lazy("Hash sebelumnya")),
    ("key_id", gettext_lazy("ID kunci")),  # the MAC's key; empty: plain SHA-256 (before keys)
)
CHUNK = 1000


def audit_log_export(*, user: User, filters: LogFilters, file_format: str) -> QuerySet[Event]:
    """Record that `user` exports the log with `filters`; return the rows to write."""
    require_reader(user)
    if file_format not in FORMATS:
        raise Invalid(N_("Format unduhan harus csv atau json."), code="format")
    with transaction.atomic():
        record(
            action=Action.AUDIT_LOG_EXPORTED,
            summary=f"Log audit diunduh ({file_format.upper()})",
            actor=user,
            data={"format": file_format, "filters": filters_data(filters)},
        )
    return events(filters)


def filters_data(filters: LogFilters) -> dict[str, Any]:
    data: dict[str, Any] = {
        "since": filters.since.astimezone(UTC).isoformat(),
        "until": filters.until.astimezone(UTC).isoformat(),
    }
    if filters.no_appeal:
        data["no_appeal"] = True
    if filters.appeal_id is not None:
        data["appeal_id"] = filters.appeal_id
    if filters.actor_id is not None:
        data["actor_id"] = filters.actor_id
    if filters.action:
        data["action"] = filters.action
    return data


def row(event: Event) -> dict[str, Any]:
    """One event as the files (and the API) give it."""
    return {
        "id": event.pk,
        "time_wib": event.created_at.astimezone(WIB).isoformat(),
        "time_utc": event.created_at.astimezone(UTC).isoformat(),
        "actor": event.actor.username if event.actor else None,
        "action": event.action,
        "appeal": event.appeal.number if event.appeal else None,
        "step": event.step,
        "summary": event.summary,
        "public": event.public,
        "data": event.data,
        "hash": event.hash,
        "prev_hash": event.prev_hash,
        "key_id": event.key_id,
    }


def _dump(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def csv_chunks(rows: QuerySet[Event]) -> Iterator[str]:
    """One line per event (banding.formats.csv_lines); `data` as JSON text."""
    return csv_lines((header for _, header in FIELDS), _csv_cells(rows))


def _csv_cells(rows: QuerySet[Event]) -> Iterator[list[Any]]:
    for event in rows.iterator(chunk_size=CHUNK):
        values = row(event)
        values["data"] = _dump(values["data"])
        values["public"] = gettext("Ya") if values["public"] else gettext("Tidak")
        yield [values[key] for key, _ in FIELDS]


def json_chunks(rows: QuerySet[Event], filters: LogFilters) -> Iterator[str]:
    """`{"filters": ..., "events": [...]}`, one event per line."""
    yield '{"filters": ' + _dump(filters_data(filters)) + ', "events": [\n'
    first = True
    for event in rows.iterator(chunk_size=CHUNK):
        yield ("" if first else ",\n") + _dump(row(event))
        first = False
    yield "\n]}\n"


def export_response(*, user: User, filters: LogFilters, file_format: str) -> StreamingHttpResponse:
    """The download (staff page and API alike): the event is recorded, then the file."""
    rows = audit_log_export(user=user, filters=filters, file_format=file_format)
    name = f"log-audit-{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            json_chunks(rows, filters), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
