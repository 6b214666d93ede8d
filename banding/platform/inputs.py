"""The pages' share of the one input check (banding.inputs): their query parameters, and what
is posted to the few views that read it without a form."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from banding import inputs


class ControlCharactersRefused(BadRequest):
    """A page's query parameter with a control character: the 400 page says so."""


class RefuseControlCharacters:
    """Middleware (after the language is chosen): a page's query parameters (list filters,
    searches) are checked as the API's are; a control character is a 400 page that says why.
    What a form posts is checked by the form, on its field (BootstrapForm); the API checks its
    own requests (banding.api.checks)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and _refused(request.GET):
            raise ControlCharactersRefused(inputs.CONTROL_CHARACTERS)
        return self.get_response(request)


def _refused(data: Any) -> bool:
    return any(
        inputs.has_control_characters(text)
        for key, values in data.lists()
        for text in (key, *values)
    )


def checked_post[V: Callable[..., Any]](view: V) -> V:
    """A view that reads request.POST itself (no form to put the refusal on a field): a posted
    text with a control character is the 400 page saying why, before the view runs."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if _refused(request.POST):
            raise ControlCharactersRefused(inputs.CONTROL_CHARACTERS)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
