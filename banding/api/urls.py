"""The JSON API at /api/v1/: one NinjaAPI with our auth, our error shape and the routers.
Its docs page uses the Swagger UI files that django-ninja ships (served as static files, so
it works on an intranet without internet)."""

from typing import Any

from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema

from banding.api import auth, errors
from banding.api.routers import actions, appeals, letters, notifications, sop, tokens

ERROR_REF = {"$ref": "#/components/schemas/Error"}


class BandingApi(NinjaAPI):
    """NinjaAPI whose schema documents every error answer: besides the statuses an operation
    names (400, 401, 403, 404, 409), any other 4xx (405, 410 for a destroyed file, 413) has
    the same body, `Error`."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault(
                    "4XX",
                    {
                        "description": "Galat lain (mis. 405, 410, 413), dengan bentuk yang sama.",
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
        return schema


api = BandingApi(
    title="SiBanding API",
    version="1",
    description=(
        "API penanganan banding pelanggan (SOP 5.1.24). Autentikasi: token API pribadi pada "
        "header `Authorization: Bearer <token>` (buat di POST /tokens) atau sesi browser "
        "(dengan header X-CSRFToken untuk permintaan yang mengubah data). Setiap galat berupa "
        '`{"code", "message", "fields"}`. Teks apa pun (jalur, parameter, isian, nama berkas, '
        "string JSON) yang memuat karakter kendali (NUL, C0 selain tab dan baris baru, DEL) "
        "ditolak dengan 400; tanggal di luar 2000-01-01 sampai lima tahun ke depan juga."
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
