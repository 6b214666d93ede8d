from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One action, append-only. Written by the service that performs the action, in the same
    transaction. `public` events are the ones a customer may see on its appeal's timeline.

    Each appeal's events form one chain (banding.audit.chain): `hash` is the MAC (HMAC-SHA256
    under the key `key_id`, kept outside the database: banding.audit.keys) of this event's
    fields and `prev_hash`, the seal of the appeal's event written just before it. `key_id`
    NULL: an event written before the key, sealed with a plain SHA-256."""

    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,  # served by the (appeal, created_at) index, which starts with it
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # served by the (actor, created_at) index, which starts with it
    )
    action = models.CharField(max_length=60)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    # NULL: sealed before the key, with a plain SHA-256 (banding.audit.chain); not "", which
    # a key id can never be.
    key_id = models.CharField(_("id kunci"), max_length=32, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["appeal", "created_at"]),
            # The audit log's period and its order, across every appeal (banding.audit.selectors).
            models.Index(fields=["created_at", "id"], name="audit_event_time"),
            models.Index(fields=["action", "created_at"], name="audit_event_action_time"),
            models.Index(fields=["actor", "created_at"], name="audit_event_actor_time"),
        ]
        verbose_name = _("peristiwa")
        verbose_name_plural = _("peristiwa")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class ChainHead(models.Model):
    """The end of one chain: one row per appeal (`chain` = the appeal's id; 0 for events that
    belong to no appeal). Every writer updates it while it appends, which locks it until the
    action commits, so an appeal's events are chained one after the other even with many app
    servers, while actions on different appeals never wait for each other. It also lets
    `banding audit verify` see events cut off the end of a chain."""

    NO_APPEAL = 0

    chain = models.PositiveBigIntegerField(primary_key=True)
    last_event_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("ujung rantai log")
        verbose_name_plural = _("ujung rantai log")

    def __str__(self) -> str:
        return f"rantai {self.chain}: {self.count} peristiwa, terakhir #{self.last_event_id}"
