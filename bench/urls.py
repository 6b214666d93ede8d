"""The product's URLs plus two floors: the cheapest page a logged-in user can get through the
same middleware, listing 25 rows by one indexed query (every figure of bench/pages.py is read
as a multiple of it); and the cheapest intake, a multipart POST whose token is looked up and
whose letter is read, that writes nothing (bench/intake.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from banding.accounts.services import api_token_user
from banding.appeals.models import Appeal
from banding.urls import urlpatterns as product_urls

FLOOR_PATH = "__bench__/floor/"
FLOOR_INTAKE_PATH = "__bench__/floor/intake/"

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


@csrf_exempt
def floor_intake(request: HttpRequest) -> JsonResponse:
    # The token's one indexed query, the multipart form parsed and the letter read.
    user = api_token_user(request.headers.get("Authorization", "").removeprefix("Bearer "))
    if user is None:
        return JsonResponse({"code": "unauthenticated"}, status=401)
    size = len(request.FILES["letter"].read())
    return JsonResponse({"user": user.pk, "fields": len(request.POST), "size": size}, status=201)


urlpatterns = [
    path(FLOOR_PATH, floor, name="bench_floor"),
    path(FLOOR_INTAKE_PATH, floor_intake, name="bench_floor_intake"),
    *product_urls,
]
