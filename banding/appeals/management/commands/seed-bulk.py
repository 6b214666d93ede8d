"""`banding seed-bulk`, the name the documentation uses, for `banding seed_bulk`."""

from banding.appeals.management.commands.seed_bulk import Command

__all__ = ["Command"]
