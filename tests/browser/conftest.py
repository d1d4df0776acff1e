"""Browser fixtures: Debian's chromium driven by Playwright, against the real stack.

The browser is /usr/bin/chromium (the project's .ci/run installs it). Without it
the browser tests are skipped on a developer machine, but fail in CI (env CI set).
Start-up of the stack can take minutes on a loaded machine: set
WW_TEST_STARTUP_TIMEOUT=600 when needed.
"""
from __future__ import annotations

import os

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP


def _need_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs chromium")
    pytest.skip(f"{CHROMIUM} is not installed")


# Per module, not per session: Playwright's sync API keeps an asyncio loop running in
# this thread while it lives, and every later test that calls asyncio.run() would fail.
@pytest.fixture(scope="module")
def browser():
    _need_browser()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser):
    """new_page(viewport=DESKTOP) -> a page in its own context (own cookies, like a new visitor)."""
    contexts = []

    def make(viewport: dict | None = None, **options):
        context = browser.new_context(viewport=viewport or DESKTOP, locale="nl-NL", **options)
        context.set_default_timeout(90_000)  # a reply of the real stack on a loaded machine
        contexts.append(context)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append((message.type, message.text)))
        return page

    yield make
    for context in contexts:
        context.close()
