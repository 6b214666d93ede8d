"""Real-browser tests: Playwright for Python (sync API) driving Debian's Chromium against
pytest-django's live_server.

Every page a test visits is watched: a JavaScript error or a Content-Security-Policy violation
reported by the browser fails the test. Screenshots of the key pages go to
var/screenshots/<test>/<nn>-<name>.png (var/ is git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time. On SQLite the test database is in
    memory and the server's threads share the test's one connection: two requests at once
    (an appeal page's cards load together with htmx) would use that connection at the same
    time ("bad parameter or other API misuse"). Connections stay concurrent (keep-alive);
    only the application is entered one request at a time, its response read whole inside."""

    lock = threading.Lock()

    def set_app(self, application: Callable) -> None:
        def one_at_a_time(environ: dict, start_response: Callable) -> list[bytes]:
            with self.lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATime

CHROMIUM = Path("/usr/bin/chromium")
# A Tuesday morning in office hours (09:00 WIB): deadlines and "sejak" dates are predictable.
START = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
# Chromium asks for /favicon.ico on its own; the app has none and that 404 is no page error.
IGNORED_URLS = re.compile(r"/favicon\.ico$")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for the browser tests. Package scope rather than session: Playwright's
    sync API marks an asyncio loop as running in this thread while it lives, and the rest of
    the suite (Django's async-safety check, asyncio.run in the mail tests) must not see it."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} tidak ada (apt-get install chromium)"
        if os.environ.get("BANDING_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # The ORM is called from the test thread while Playwright's loop is marked running.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With a loop marked running, Django's thread-critical connection store switches to a
    # context-local one and would open new connections: not the test database's own (which
    # the live server shares, and which carries the serialized data that serialized_rollback
    # restores). Keep the same connection objects in both stores.
    pinned = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            for alias, connection in pinned.items():
                connections[alias] = connection
            try:
                yield chromium
            finally:
                chromium.close()
                for alias in pinned:  # later asyncio code gets the usual store back
                    del connections[alias]
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Watch:
    """What the browser reported: console errors, CSP violations and uncaught exceptions."""

    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Accept console errors matching `pattern` from now on, e.g. the browser's note
        of a 400 answer the test provokes on purpose."""
        self.allowed.append(re.compile(pattern))

    def console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "") if message.location else ""
        if IGNORED_URLS.search(url) or any(p.search(message.text) for p in self.allowed):
            return
        csp = "Content Security Policy" in message.text
        if message.type == "error" or csp:
            kind = "CSP" if csp else f"console.{message.type}"
            self.problems.append(f"{kind} {url}: {message.text}")

    def page_error(self, error: Exception) -> None:
        self.problems.append(f"JS error: {error}")

    def check(self) -> None:
        found, self.problems = self.problems, []
        assert not found, "the browser reported:\n" + "\n".join(found)


@pytest.fixture
def clock() -> Iterator[None]:
    # The clock runs from START (tick=True): the live server runs in this process and sees it;
    # Playwright's own timeouts use the monotonic clock, which time-machine leaves alone.
    with time_machine.travel(START, tick=True):
        yield


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Browser, live_server, watch: Watch, clock) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, on the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", timezone_id="Asia/Jakarta", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    context.on("console", watch.console)
    tab = context.new_page()
    tab.on("pageerror", watch.page_error)
    yield tab
    context.close()
    watch.check()


@pytest.fixture
def shot(page: Page, watch: Watch, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """shot("inbox") saves a full-page screenshot as the test's next numbered file and checks
    that the page so far raised no JS error or CSP violation."""
    folder = Path(settings.BASE_DIR) / "var" / "screenshots" / _safe(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken: list[Path] = []

    def take(name: str) -> Path:
        watch.check()
        path = folder / f"{len(taken) + 1:02d}-{_safe(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
