"""`banding sop`: the SOP definition printed."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from banding.sop.export import as_dict


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_sop_json_prints_the_definition_with_the_official_steps():
    data = json.loads(run("sop", "--format", "json"))

    assert [s["number"] for s in data["steps"]] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert data == json.loads(json.dumps(as_dict()))
    assert data["steps"][2]["decision"] == "Banding relevan?"


def test_sop_refuses_a_format_it_does_not_have():
    with pytest.raises(CommandError, match="invalid choice: 'docx'"):
        run("sop", "--format", "docx")
