"""The auditors get every signed checkpoint of the audit log by e-mail
(banding.audit.checkpoint): a copy outside the server, where its administrator cannot reach
it. Connected to the hook `checkpoint_written` in PlatformConfig.ready(); the mail goes through
the outbox like every other (written with its task, sent by `banding worker`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from banding.accounts.roles import Role
from banding.audit.checkpoint import Checkpoint
from banding.notifications.outbox import enqueue_all, new_mail

KIND = "audit_checkpoint"
# The whole signed file goes in the mail's text up to this size; a larger one is named (its
# directory, its time and its SHA-256 are in the mail) and kept in BANDING_AUDIT_CHECKPOINT_DIR.
INLINE_MAX_BYTES = 256 * 1024


def mail_checkpoint(*, path: Path, checkpoint: Checkpoint) -> None:
    content = path.read_bytes()
    auditors = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.AUDITOR)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    context = {
        "name": path.name,
        "directory": str(path.parent),
        "created_at": checkpoint.created_at.isoformat(),
        "reason": checkpoint.reason,
        "count": checkpoint.count,
        "max_id": checkpoint.max_id,
        "chains": len(checkpoint.chains),
        "signer": checkpoint.signer,
        "sha256": hashlib.sha256(content).hexdigest(),
        "checkpoint": content.decode("utf-8") if len(content) <= INLINE_MAX_BYTES else "",
    }
    with transaction.atomic():
        enqueue_all([new_mail(kind=KIND, to_user=user, context=context) for user in auditors])
