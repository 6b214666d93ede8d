"""The portal's appeal pages (mounted at /portal/, namespace "portal")."""

from django.urls import path

from banding.notifications import views as notice_views
from banding.portal import hearing_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("ajukan/", views.submit, name="submit"),
    path("banding/<uuid:public_id>/", views.appeal, name="appeal"),
    path("banding/<uuid:public_id>/tanda-terima/", views.receipt_view, name="receipt"),
    path("banding/<uuid:public_id>/cabut/", views.withdraw, name="withdraw"),
    # The notices: the same views as the staff workspace's, in the portal's layout.
    path("notifikasi/", notice_views.notification_list, name="notifications"),
    path(
        "notifikasi/baca-semua/",
        notice_views.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifikasi/<uuid:public_id>/baca/",
        notice_views.notification_read,
        name="notification_read",
    ),
]

# Answers to the panel's invitation and to the satisfaction survey (banding.portal.hearing_views).
urlpatterns += [
    path(
        "banding/<uuid:public_id>/undangan/<uuid:inv_id>/jawab/",
        hearing_views.invitation_answer,
        name="invitation_answer",
    ),
    path("banding/<uuid:public_id>/survei/", hearing_views.survey_answer, name="survey_answer"),
]
