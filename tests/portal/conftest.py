# The API callers of tests/api (each persona with its own token), for the isolation tests.
from tests.api.conftest import api

__all__ = ["api"]
