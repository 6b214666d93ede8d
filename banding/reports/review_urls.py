from django.urls import path

from banding.reports import review_views

urlpatterns = [
    path("", review_views.page, name="review"),
    path("tinjauan.pdf", review_views.pdf, name="review_pdf"),
    path("<slug:kind>/", review_views.listing, name="review_list"),
    path(
        "<slug:kind>/unduh.<str:file_format>",
        review_views.list_download,
        name="review_list_download",
    ),
]
