"""`banding <command>`: a hyphenated command name is the command with underscores."""

from __future__ import annotations

import subprocess
import sys

import pytest

from banding.cli import arguments, command_name


@pytest.mark.parametrize(
    ("written", "command"),
    [
        ("export-case", "export_case"),
        ("seed-bulk", "seed_bulk"),
        ("export_case", "export_case"),
        ("migrate", "migrate"),
        ("--version", "--version"),
    ],
)
def test_it_reads_hyphens_in_a_command_name_as_underscores(written, command):
    assert command_name(written) == command


def test_it_maps_only_the_command_name_and_the_one_help_asks_about():
    assert arguments(["export-case", "BDG/2026/0001", "--output", "a-b.zip"]) == [
        "export_case",
        "BDG/2026/0001",
        "--output",
        "a-b.zip",
    ]
    assert arguments(["help", "seed-bulk"]) == ["help", "seed_bulk"]
    assert arguments([]) == []


def test_the_hyphenated_name_runs_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "banding.cli", "export-case", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "usage: banding export_case" in result.stdout
