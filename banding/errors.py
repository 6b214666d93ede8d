"""Why an action was refused. The web views show `message`; the API answers with
`{"code": ..., "message": ..., "fields": ...}` and `status`.

Messages are written in Indonesian and marked for the catalog where they are written. A fixed
message is marked `N_("...")` (gettext_noop): it stays Indonesian in what is stored (audit
summaries), and the customer's pages and the API show it translated (`said`). A message built
with values is `gettext("... %(number)s ...") % values`: translated into the language active
when it is raised (Indonesian on staff pages; the caller's on the portal and the API)."""

from django.utils.translation import gettext


def said(message: object) -> str:
    """`message` in the active language when the catalog has it; as written otherwise."""
    text = str(message)
    return gettext(text) if text else text


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}

    def said(self) -> dict:
        """`as_dict` in the active language (the API's answer)."""
        fields = {
            name: [said(m) for m in (messages if isinstance(messages, list) else [messages])]
            for name, messages in self.fields.items()
        }
        return {**self.as_dict(), "message": said(self.message), "fields": fields}


class Invalid(ServiceError):
    status = 400
    code = "invalid"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "wrong_state"
