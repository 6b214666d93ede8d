from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from banding.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict:
    """The navbar's unread count: one query, only on a page that shows it, only for a
    signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
