"""The API under schemathesis: every operation of the OpenAPI schema called with generated
input (valid and invalid, NUL bytes included), by a staff member's token and a customer's, in
this process through the WSGI application, on the engine the suite runs on. It fails on any
5xx and on any answer the schema does not describe: its status, body, content type or
headers. Bounded (max_examples per operation) and deterministic (derandomize), so CI runs the
same cases each time: `uv run pytest -m fuzz` runs it alone.

Path ids are sometimes the ids of real rows (an appeal, its documents and letters) so the
operations get past 404 to their own checks. A second test follows the links schemathesis
infers between operations (a token created, listed, revoked; an appeal submitted, read),
each scenario rolled back at its end."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from banding.accounts.services import api_token_create
from banding.api.urls import api
from tests import factories
from tests.factories import make_personas

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Per operation, each example called twice (staff, customer). 64 operations.
MAX_EXAMPLES = 12

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]

# Built once from the application itself (no server, no database): a JSON round trip makes it
# plain data, as a client reads it.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))
)
# The WSGI application banding.wsgi serves (that module also runs the production start-up
# checks, which a test process has no keys for when it is imported).
schema.app = get_wsgi_application()

# The rows a test made: path parameters are sometimes drawn from these.
KNOWN: dict[str, list[str]] = {}
USERS: dict[str, Any] = {}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict | None) -> Any:
    if not path_parameters:
        return st.just(path_parameters)
    names = [name for name in path_parameters if KNOWN.get(name)]
    if not names:
        return st.just(path_parameters)
    choices = {name: st.sampled_from([path_parameters[name], *KNOWN[name]]) for name in names}
    return st.fixed_dictionaries(choices).map(lambda chosen: {**path_parameters, **chosen})


@pytest.fixture
def _connection_kept():
    """The WSGI application closes the database connection after each request, as a server
    should; in a test that would end the test's transaction (Django's test client does the
    same as this)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(db, _connection_kept) -> dict[str, dict[str, str]]:
    p = make_personas()
    appeal = factories.register(p)
    factories.verify_relevant(p, appeal)
    KNOWN.clear()
    KNOWN["public_id"] = [str(appeal.public_id)]
    KNOWN["doc_id"] = [str(d.public_id) for d in appeal.documents.all()]
    KNOWN["letter_id"] = [str(letter.public_id) for letter in appeal.letters.all()]
    headers = {}
    USERS.update(staff=p.staff, customer=p.customer)
    for who, user in (("staff", p.staff), ("customer", p.customer)):
        _, raw = api_token_create(user=user, name=f"fuzz {who}")
        headers[who] = {"Authorization": f"Bearer {raw}"}
    return headers


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_input_as_its_schema_says(case, callers):
    for headers in callers.values():
        case.call_and_validate(headers=headers, checks=CHECKS)


# Stateful: sequences of calls where one answer feeds the next (the links schemathesis infers
# from the schema: an appeal created, then read, its letters listed, then one updated, ...).
STATEFUL_EXAMPLES = 30
STATEFUL_STEPS = 10


@pytest.mark.parametrize("who", ["staff", "customer"])
def test_linked_calls_hold_to_the_schema(callers, who):
    user = USERS[who]
    headers: dict[str, str] = {}

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Each scenario starts from the same rows (hypothesis replays scenarios, and one
            # may have revoked its own token): its writes are rolled back at its end. Marked
            # as the test case's own block, as Django marks its, so that the services'
            # durable transactions run inside it.
            self.scenario = transaction.atomic()
            self.scenario._from_testcase = True
            self.scenario.__enter__()
            _, raw = api_token_create(user=user, name="fuzz")
            headers["Authorization"] = f"Bearer {raw}"

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def get_call_kwargs(self, case: Any) -> dict:
            return {"headers": dict(headers)}

        def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, headers=dict(headers))

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
