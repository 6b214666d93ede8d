"""Indexes of the audit log page (banding.audit.selectors) on millions of events: the period
and the log's order across every appeal, the action filter, and the actor filter (whose index
replaces the actor key's own, which it begins with)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from banding.appeals.indexes import DropForeignKeyIndex


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["created_at", "id"], name="audit_event_time"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["action", "created_at"], name="audit_event_action_time"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["actor", "created_at"], name="audit_event_actor_time"),
        ),
        DropForeignKeyIndex(
            model_name="event",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
