"""The pages' share of the one input check (banding.inputs): their query parameters."""

from collections.abc import Callable

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
        if not request.path.startswith("/api/") and any(
            inputs.has_control_characters(text)
            for key, values in request.GET.lists()
            for text in (key, *values)
        ):
            raise ControlCharactersRefused(inputs.CONTROL_CHARACTERS)
        return self.get_response(request)
