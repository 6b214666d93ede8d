"""The JSON API at /api/v1/: one NinjaAPI with our auth, our error shape and the routers.
Its docs page uses the Swagger UI files that django-ninja ships (served as static files, so
it works on an intranet without internet)."""

from ninja import NinjaAPI, Swagger

from banding.api import auth, errors
from banding.api.routers import actions, appeals, letters, notifications, sop, tokens

api = NinjaAPI(
    title="SiBanding API",
    version="1",
    description=(
        "API penanganan banding pelanggan (SOP 5.1.24). Autentikasi: token API pribadi pada "
        "header `Authorization: Bearer <token>` (buat di POST /tokens) atau sesi browser "
        "(dengan header X-CSRFToken untuk permintaan yang mengubah data). Setiap galat berupa "
        '`{"code", "message", "fields"}`.'
    ),
    urls_namespace="api",
    auth=auth.api_auth(),
    # No validator badge: it would send the schema to an outside service.
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.register(api)
api.add_router("", appeals.router)
api.add_router("", actions.router)
api.add_router("", tokens.router)
api.add_router("", notifications.router)
api.add_router("", sop.router)
api.add_router("", letters.router)
api.add_router("", "banding.api.routers.invitations.router")
api.add_router("", "banding.api.routers.similar.router")
api.add_router("", "banding.api.routers.audit.router")
api.add_router("", "banding.api.routers.corrective.router")
api.add_router("", "banding.api.routers.retention.router")
api.add_router("", "banding.api.routers.claims.router")
