from django.apps import AppConfig


class BulkConfig(AppConfig):
    """The history generator's app: only its `seed_bulk` command; no models."""

    name = "bench.bulk"
    label = "bulk"
    verbose_name = "Bench: history generator"
