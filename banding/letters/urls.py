from django.urls import path

from banding.letters import certificate_views, views

app_name = "letters"
prefix = "banding/<uuid:public_id>/surat"
urlpatterns = [
    path("surat/menunggu-tanda-tangan/", views.to_sign, name="to_sign"),
    path("surat/sertifikat/", certificate_views.certificate_list, name="certificates"),
    path(f"{prefix}/baru/<slug:kind>/", views.draft, name="draft"),
    path(f"{prefix}/<uuid:letter_id>/", views.letter, name="letter"),
    path(f"{prefix}/<uuid:letter_id>/pratinjau/", views.preview, name="preview"),
    path(f"{prefix}/<uuid:letter_id>/terbitkan/", views.issue, name="issue"),
    path(f"{prefix}/<uuid:letter_id>/koreksi/", views.correct, name="correct"),
    path(f"{prefix}/<uuid:letter_id>/cabut/", views.withdraw, name="withdraw"),
    path(f"{prefix}/<uuid:letter_id>/hapus/", views.discard, name="discard"),
    path(f"{prefix}/<uuid:letter_id>/unduh/", views.download, name="download"),
]
