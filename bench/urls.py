"""The product's URLs plus the floor: the cheapest page a logged-in user can get through the
same middleware, listing 25 rows by one indexed query. Every figure of bench/pages.py is read
as a multiple of it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from banding.appeals.models import Appeal
from banding.urls import urlpatterns as product_urls

FLOOR_PATH = "__bench__/floor/"

# No context processors, no base layout: the floor is what a page costs before it does
# anything of its own.
_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>floor</title><table>"
    "{% for id, number in rows %}<tr><td>{{ id }}</td><td>{{ number }}</td></tr>{% endfor %}"
    "</table>"
)


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    # The primary key's index, newest first: one query, 25 rows.
    rows = list(Appeal.objects.order_by("-id").values_list("id", "number")[:25])
    return HttpResponse(_TEMPLATE.render({"rows": rows}))


urlpatterns = [path(FLOOR_PATH, floor, name="bench_floor"), *product_urls]
