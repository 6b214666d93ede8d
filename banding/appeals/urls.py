from django.urls import path

from banding.appeals.views import (
    archive,
    detail,
    documents,
    ending,
    inbox,
    intake,
    register,
    similar,
    steps,
)
from banding.appeals.views import invitations as invitation_views

app_name = "appeals"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("banding/", register.register, name="register"),
    path("banding/unduh.<str:file_format>", register.register_export, name="register_export"),
    path("banding/baru/", intake.intake, name="intake"),
    path("banding/<uuid:public_id>/", detail.detail, name="detail"),
    path("banding/<uuid:public_id>/serupa/", similar.similar_card, name="similar"),
    path("banding/<uuid:public_id>/ambil/", inbox.take, name="take"),
    path("banding/<uuid:public_id>/lepaskan/", inbox.release, name="release"),
    path("banding/<uuid:public_id>/aksi/<slug:slug>/", steps.act, name="action"),
    path("banding/<uuid:public_id>/undangan/", invitation_views.invite, name="invite"),
    path("banding/<uuid:public_id>/pencabutan/", ending.withdraw, name="withdraw"),
    path("banding/<uuid:public_id>/duplikat/", ending.close_duplicate, name="close_duplicate"),
    path("banding/<uuid:public_id>/paket-bukti/", archive.evidence_pack, name="evidence_pack"),
    path(
        "banding/<uuid:public_id>/dokumen/<uuid:doc_id>/",
        documents.download,
        name="document",
    ),
]
