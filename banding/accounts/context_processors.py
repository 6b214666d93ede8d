from django.http import HttpRequest

from banding.accounts.roles import roles_of


def roles(request: HttpRequest) -> dict[str, frozenset[str]]:
    user = getattr(request, "user", None)
    return {"user_roles": roles_of(user) if user is not None else frozenset()}
