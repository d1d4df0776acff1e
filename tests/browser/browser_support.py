"""Shared by the browser tests: where chromium is, viewports, axe-core, screenshots and logging in."""
from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("WW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(target) -> list[dict]:
    """WCAG 2.1 A/AA violations that axe-core finds in a page or frame."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(target, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                         "resultTypes": ["violations"]})
    return [{"id": v["id"], "nodes": [n.get("target") for n in v["nodes"]]}
            for v in results.response["violations"]]


PASSWORD = "lang-en-geheim-wachtwoord"  # of every test account the browser tests create
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"  # screenshots for the docs


def accessible(page, where: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation in `page`; `where` names it in the failure."""
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def shot(page, name: str) -> None:
    """A screenshot of the visible part of `page` into docs/img/`name`."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / name), full_page=False)


def log_in(page, base: str, area: str, username: str, *, keyboard: bool = False, check=None) -> None:
    """Log in on `/{area}/inloggen` and wait until the portal sent the browser on.

    keyboard=True uses the keyboard only (Tab to the username field, Tab, Enter), the way a
    resident without a mouse works; otherwise the fields are found by their labels and the
    "Inloggen" button is clicked. `check(page)` runs on the login page before anything is typed.
    """
    page.goto(f"{base}/{area}/inloggen")
    if check is not None:
        check(page)
    if keyboard:
        page.locator("body").focus()
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "gebruikersnaam":
                break
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
    else:
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(
        lambda url: url.startswith(f"{base}/{area}/") and not url.rstrip("/").endswith("/inloggen")
    )
