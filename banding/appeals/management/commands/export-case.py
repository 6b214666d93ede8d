"""`banding export-case`, the name the documentation uses, for `banding export_case`."""

from banding.appeals.management.commands.export_case import Command

__all__ = ["Command"]
