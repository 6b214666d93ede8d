from django import template

from banding.survey.access import may_see_results

register = template.Library()


@register.filter
def may_see_survey(user) -> bool:
    """For the navbar link to the survey results."""
    return may_see_results(user)
