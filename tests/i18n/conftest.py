# The personas with e-mail addresses, and API callers with their tokens.
from tests.api.conftest import api  # noqa: F401
from tests.mail.conftest import mailable  # noqa: F401
