from django.urls import path

from banding.reports import review_views

urlpatterns = [
    path("", review_views.page, name="review"),
    path("tinjauan.pdf", review_views.pdf, name="review_pdf"),
]
