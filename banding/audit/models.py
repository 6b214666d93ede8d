from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class Event(models.Model):
    """One action, append-only. Written by the service that performs the action, in the same
    transaction. `public` events are the ones a customer may see on its appeal's timeline."""

    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["appeal", "created_at"])]
        verbose_name = "peristiwa"
        verbose_name_plural = "peristiwa"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
