"""Shared by the browser tests: where chromium is, viewports, and axe-core."""
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
