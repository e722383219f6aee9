"""Browser fixtures for the end-to-end journeys (Playwright, sync API, Debian's Chromium).

* ``browser``: one headless Chromium for the whole session (``/usr/bin/chromium``; Playwright's
  own browser downloads are not used).
* ``context`` / ``page``: a fresh browser context per test, base URL = the live server.
* ``demo``: the real Rotterdam reference data plus ``cycle.demo.load_demo()``; returns the demo
  accounts. Each test loads it itself, so the tests stay independent. Its publications wait
  for their PDFs; ``demo_met_pdfs`` renders them, as ``make run`` does.
* ``login(page, email)``: signs in through the login form with the demo password.

``live_server`` makes every test transactional: the database is flushed after each test, which
also removes the clusters and partners that a data migration created. ``demo`` puts them back
with that migration's own (idempotent) function before loading the demo. (Serialized rollback
does not help here: once Playwright's event loop runs in this thread, Django hands out a
different connection object than the one the serialized contents were stored on.)
"""

from __future__ import annotations

import os

# The sync Playwright API runs an event loop in this thread; Django would otherwise refuse
# database access from the test code ("SynchronousOnlyOperation").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from playwright.sync_api import expect, sync_playwright

from people.demo import DEMO_PASSWORD
from tests.conftest import restore_migration_data

from .axe import assert_accessible, submit, visit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000

expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def playwright_driver():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def demo(rotterdam, monkeypatch):
    """The demo, with the PDFs of its publications left to be made (each takes most of a
    second; the journeys that open one use ``demo_met_pdfs``)."""
    from cycle.demo import load_demo
    from publication import services

    restore_migration_data()
    with monkeypatch.context() as patch:
        patch.setattr(services, "_kick", lambda publicatie_id: None)
        return load_demo()


@pytest.fixture
def demo_met_pdfs(rotterdam):
    """The demo as ``make run`` has it: every publication with its PDF (rendered eagerly)."""
    from cycle.demo import load_demo

    restore_migration_data()
    return load_demo()


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login page (checked with axe) and land on "Mijn werk"."""
    visit(page, "/inloggen/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    submit(page, page.get_by_role("button", name="Inloggen", exact=True))
    # Signed in: the header now has the logout button instead of the login link.
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


__all__ = ["assert_accessible", "login", "submit", "visit"]
