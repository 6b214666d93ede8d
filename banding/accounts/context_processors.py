from banding.accounts.roles import roles_of


def roles(request) -> dict:
    user = getattr(request, "user", None)
    return {"user_roles": roles_of(user) if user is not None else frozenset()}
