"""What the API keeps of its own: the answers to requests sent with an Idempotency-Key
(banding.api.idempotency)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotentRequest(models.Model):
    """One caller's request under one Idempotency-Key: while `status_code` is empty it is
    being handled; then the answer (2xx only) a retry with the same key gets again. Forgotten
    after BANDING_IDEMPOTENCY_HOURS (the worker prunes it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idempotent_requests",
        db_index=False,  # the unique (user, key) index serves it
    )
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=300)  # "POST /api/v1/appeals"
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the request's body
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.operation} [{self.key}]"
