from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from banding.accounts import sessions
from banding.api import errors as api_errors
from banding.api.urls import api
from banding.letters import verification_views

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # The session notice's script (banding.accounts.sessions, js/session.js).
    path("sesi/", sessions.status, name="session_status"),
    path("sesi/perpanjang/", sessions.keepalive, name="session_keepalive"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Every other path under /api/ answers the API's JSON 404, in DEBUG too.
    re_path(r"^api/(?P<rest>.*)$", api_errors.not_found),
    path("akun/", include("banding.accounts.urls")),
    path("portal/", include("banding.portal.urls")),
    path("laporan/", include("banding.reports.urls")),
    path("log-audit/", include("banding.audit.urls")),
    path("notifikasi/", include("banding.notifications.urls")),
    path("survei/", include("banding.survey.urls")),
    path("tindakan-perbaikan/", include("banding.corrective.urls")),
    path("arsip/", include("banding.archive.urls")),
    path("sop/", include("banding.sop.urls")),
    path("verifikasi/<str:code>/", verification_views.verification, name="verification"),
    path("", include("banding.letters.urls")),
    path("", include("banding.appeals.urls")),
]

# Indonesian error pages, in the portal's layout under /portal/, JSON under /api/.
handler400 = "banding.platform.errorpages.bad_request"
handler403 = "banding.platform.errorpages.permission_denied"
handler404 = "banding.platform.errorpages.page_not_found"
handler500 = "banding.platform.errorpages.server_error"
