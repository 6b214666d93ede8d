"""Safe retries: `Idempotency-Key` on the API's intake and step actions.

A client whose request was cut off (a timeout, a dropped connection) cannot tell whether the
appeal was recorded. Sent again with the same `Idempotency-Key` header, by the same account,
the request is not handled a second time: the first answer comes back (its status and body,
with `Idempotent-Replayed: true`). The same key with another body or on another operation is
refused (422 `idempotency_key_reused`); a retry while the first is still being handled gets 409
`idempotency_key_in_progress`. Only successful answers are kept: after a 4xx the key may be
used again, with a corrected body. Keys are kept BANDING_IDEMPOTENCY_HOURS (24), then the
worker forgets them (`prune_idempotent_requests`).

Two requests with one key at the same moment: the unique constraint on (account, key) lets one
insert its row and handle the request; the other finds the row and answers 409 (or the stored
answer once there is one), so one appeal is recorded."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_noop as N_
from ninja import Header
from ninja.decorators import decorate_view
from ninja.operation import Operation
from ninja.utils import contribute_operation_args, contribute_operation_callback

from banding.api.models import IdempotentRequest
from banding.api.schemas import Error
from banding.errors import Conflict, Invalid, ServiceError

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 255
PATTERN = r"^[\x21-\x7e]+$"  # visible ASCII, no spaces
# A request still "being handled" this long after it began belongs to a process that died:
# a retry takes its key over (gunicorn restarts a worker stuck for 60 seconds).
ABANDONED_AFTER = timedelta(minutes=5)
_ATTRIBUTE = "_banding_idempotent_request"

DESCRIPTION = (
    "Kunci unik dari klien (mis. UUID, 1-255 karakter ASCII tanpa spasi) agar permintaan aman "
    "diulang: permintaan yang diulang dengan kunci dan isi yang sama oleh akun yang sama dalam "
    "24 jam tidak diproses lagi, tetapi mendapat jawaban pertamanya kembali (dengan header "
    "`Idempotent-Replayed: true`). Kunci yang sama dengan isi lain: 422 "
    "`idempotency_key_reused`; selagi permintaan pertama masih diproses: 409 "
    "`idempotency_key_in_progress`."
)


class KeyReused(ServiceError):
    status = 422
    code = "idempotency_key_reused"


def lifetime() -> timedelta:
    return timedelta(hours=max(1, settings.BANDING_IDEMPOTENCY_HOURS))


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of what the request asks: its operation and its body (a form's fields and each
    file's name and content, or the raw body of a JSON request)."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    if request.content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"field {name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"file {name}={upload.name} {upload.size}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _valid(key: str) -> bool:
    return 0 < len(key) <= MAX_LENGTH and all(33 <= ord(c) <= 126 for c in key)


def begin(request: HttpRequest, user: Any, key: str) -> IdempotentRequest | HttpResponse:
    """The row that reserves `key` for this request, or the stored answer of the first.
    Raises KeyReused (another body) or Conflict (the first is still being handled)."""
    if not _valid(key):
        raise Invalid(
            N_(
                "Header Idempotency-Key harus berisi 1-255 karakter ASCII yang terlihat (tanpa "
                "spasi), mis. sebuah UUID."
            ),
            code="idempotency_key_invalid",
            fields={HEADER: [N_("Kunci tidak sah.")]},
        )
    operation = f"{request.method} {request.path}"[:300]
    body_hash = fingerprint(request)
    for _ in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(
                    user=user, key=key, operation=operation, fingerprint=body_hash, created_at=now
                )
        except IntegrityError:
            first = IdempotentRequest.objects.filter(user=user, key=key).first()
        if first is None:  # the first failed and gave its key back meanwhile: take it
            continue
        expired = first.created_at < now - lifetime()
        abandoned = first.status_code is None and first.created_at < now - ABANDONED_AFTER
        if expired or abandoned:
            IdempotentRequest.objects.filter(
                pk=first.pk, status_code=first.status_code, created_at=first.created_at
            ).delete()
            continue
        if first.operation != operation or first.fingerprint != body_hash:
            raise KeyReused(
                N_(
                    "Idempotency-Key ini sudah dipakai untuk permintaan lain (isi atau alamat "
                    "berbeda). Pakai kunci baru untuk permintaan baru."
                ),
                fields={HEADER: [N_("Kunci sudah dipakai.")]},
            )
        if first.status_code is None:
            raise Conflict(
                N_(
                    "Permintaan dengan Idempotency-Key ini masih diproses. Ulangi sebentar lagi "
                    "dengan kunci yang sama."
                ),
                code="idempotency_key_in_progress",
            )
        return replay(first)
    raise Conflict(
        N_("Permintaan dengan Idempotency-Key ini masih diproses. Ulangi sebentar lagi."),
        code="idempotency_key_in_progress",
    )


def replay(stored: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        stored.body, status=stored.status_code, content_type=stored.content_type or None
    )
    response[REPLAYED] = "true"
    return response


def finish(stored: IdempotentRequest, response: HttpResponseBase | None) -> None:
    """Keep a successful answer for retries; give the key back after any other."""
    if (
        response is not None
        and 200 <= response.status_code < 300
        and isinstance(response, HttpResponse)
        and not response.streaming
    ):
        IdempotentRequest.objects.filter(pk=stored.pk).update(
            status_code=response.status_code,
            content_type=response.get("Content-Type", "")[:100],
            body=response.content.decode("utf-8", errors="replace"),
        )
    else:
        IdempotentRequest.objects.filter(pk=stored.pk).delete()


@dataclass(frozen=True)
class Pruned:
    deleted: int = 0

    def __bool__(self) -> bool:
        return bool(self.deleted)

    def __str__(self) -> str:
        return f"{self.deleted} kunci Idempotency-Key lama dihapus"


def prune_idempotent_requests() -> Pruned:
    """Forget keys older than BANDING_IDEMPOTENCY_HOURS (the worker's job)."""
    deleted, _ = IdempotentRequest.objects.filter(
        created_at__lt=timezone.now() - lifetime()
    ).delete()
    return Pruned(deleted)


def idempotent[F: Callable[..., Any]](view: F) -> F:
    """An API operation that accepts `Idempotency-Key` (under @router.post). Without the
    header the operation runs as always."""

    @functools.wraps(view)
    def with_key(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = kwargs.pop("idempotency_key", None)
        if key is None:
            return view(request, *args, **kwargs)
        begun = begin(request, request.auth, key)  # type: ignore[attr-defined]
        if isinstance(begun, HttpResponse):
            return begun
        setattr(request, _ATTRIBUTE, begun)
        return view(request, *args, **kwargs)

    contribute_operation_args(
        with_key,
        "idempotency_key",
        str,
        Header(
            None,
            alias=HEADER,
            description=DESCRIPTION,
            min_length=1,
            max_length=MAX_LENGTH,
            pattern=PATTERN,
        ),
    )
    # The answer ninja makes of the view's result (its errors included) is what is kept.
    decorate_view(_keeping_the_answer)(with_key)
    contribute_operation_callback(with_key, _documented)
    return with_key  # type: ignore[return-value]


def _documented(operation: Operation) -> None:
    """The error of a reused key, in the schema."""
    operation.response_models.setdefault(422, operation._create_response_model(Error))


def _keeping_the_answer(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(run)
    def run_and_keep(request: HttpRequest, **kw: Any) -> HttpResponseBase:
        response = None
        try:
            response = run(request, **kw)
        finally:
            stored = getattr(request, _ATTRIBUTE, None)
            if stored is not None:
                delattr(request, _ATTRIBUTE)
                finish(stored, response)
        return response

    return run_and_keep
