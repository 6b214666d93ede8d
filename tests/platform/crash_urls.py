"""SiBanding's URLs, their error handlers, and pages that fail on purpose (tests only)."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from banding.urls import handler400, handler403, handler404, handler500  # noqa: F401
from banding.urls import urlpatterns as banding_urls


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("rahasia di jejak tumpukan")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("aneh")


urlpatterns = [
    path("uji-gagal/", crash),
    path("portal/uji-gagal/", crash),
    path("api/v1/uji-gagal", crash),
    path("portal/uji-aneh/", suspicious),
    *banding_urls,
]
