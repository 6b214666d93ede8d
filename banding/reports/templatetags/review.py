from django import template

from banding.reports.review_views import may_see_review as _may_see_review

register = template.Library()


@register.filter
def may_see_review(user) -> bool:
    """For the navbar link to the management review input."""
    return _may_see_review(user)
