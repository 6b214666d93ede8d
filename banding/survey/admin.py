"""Survey answers in the admin, read-only: they are written only by the customer, through
banding.survey.services.survey_answer."""

from django.contrib import admin

from banding.accounts.admin import ReadOnlyAdmin
from banding.survey.models import SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ("appeal", "submitted_at", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
    list_select_related = ("appeal",)
    date_hierarchy = "submitted_at"
    search_fields = ("appeal__number", "comment")
    exclude = ("public_id",)
