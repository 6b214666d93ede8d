"""The SOP definition itself, as `banding sop --format json` prints it."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from banding.api.routers.appeals import ERRORS
from banding.sop.export import as_dict

router = Router(tags=["SOP"])


@router.get(
    "/sop", response={200: dict[str, Any], **ERRORS}, url_name="sop", summary="Definisi SOP 5.1.24"
)
def sop_definition(request: HttpRequest) -> dict:
    """SOP 5.1.24: langkah, pelaksana, mutu baku, keputusan dan pengecualian."""
    return as_dict()
