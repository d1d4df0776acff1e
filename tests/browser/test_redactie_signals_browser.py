""" "Klopt dit niet?" and "Welk aanbod mist?" in a real browser (Debian's chromium via
Playwright): a resident reports a card in the chat page, an editor sees it in
/redactie/meldingen and resolves it, and reads /redactie/vraag. axe-core finds no WCAG 2.1
A/AA violation on these pages (the chat with the question open, the queue with signals, the
report with charts). The web app runs on uvicorn on 127.0.0.1 with a real SQLite database
and the demo catalogue; Rasa is a stand-in at the HTTP level that answers with two cards.
Screenshots for docs/redactie.md."""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from browser_support import DESKTOP, PASSWORD, accessible, log_in, shot

from bot import accounts
from bot.handoff.db import session_scope
from bot.settings import PROJECT_ROOT

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from web.channel_standins import RasaStandIn  # noqa: E402

pytestmark = [pytest.mark.e2e]

DEMO = PROJECT_ROOT / "sociale_kaart" / "demo"
SHOWN = ["act-gooise-meren-koffie-inloop", "act-gooise-meren-fietsgroep"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import uvicorn

    from bot.handoff.db import make_engine, migrate
    from bot.settings import Settings
    from bot.web.app import create_app
    from sociale_kaart import demand
    from sociale_kaart.activity_view import card, load_views
    from sociale_kaart.db import migrate as migrate_catalogue
    from sociale_kaart.db import session_scope as kaart_session
    from sociale_kaart.importer import import_paths

    var = tmp_path_factory.mktemp("signalen")
    monkey = pytest.MonkeyPatch()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkey.setenv("WW_VAR_DIR", str(var))
    monkey.delenv("WW_DATABASE_URL", raising=False)
    monkey.delenv("WW_REDIS_URL", raising=False)
    monkey.setenv("WW_PUBLIC_URL", f"http://127.0.0.1:{port}")
    settings = Settings.from_env()
    migrate_catalogue(settings.database_url)
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    assert import_paths(engine, sorted(DEMO.glob("*.yml"))).ok
    with kaart_session(engine) as session:
        views = load_views(session, SHOWN)
        cards = [card(views[key]) for key in SHOWN]
    for gemeente, theme, outcome, times in (
        ("GM1942", "eenzaamheid", "lokaal", 6),
        ("GM1942", "eenzaamheid", "geen", 2),
        ("GM0406", "geldzorgen", "alleen_elders", 3),
        ("GM0402", "stress", "geen", 1),
    ):
        for _ in range(times):
            demand.record_search(engine, gemeente, theme, outcome)
    with session_scope(settings.database_url) as db:
        user = accounts.create_user(db, "redactie.dana", PASSWORD)
        accounts.grant(db, user, "eindredacteur", accounts.SCOPE_REGION, "Gooi en Vechtstreek")

    def reply(sender, message):
        out = [{"recipient_id": sender, "text": "Dit heb ik voor je gevonden:"}]
        for item in cards:
            out += [
                {"recipient_id": sender, "text": item["naam"]},
                {"recipient_id": sender, "custom": {"activiteit": item}},
            ]
        return out + [
            {
                "recipient_id": sender,
                "text": "Wil je iets anders zoeken?",
                "buttons": [{"title": "Iets anders zoeken", "payload": "/iets_anders"}],
            }
        ]

    with RasaStandIn(reply) as rasa:
        monkey.setenv("WW_RASA_URL", rasa.url)
        settings = Settings.from_env()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings),
                host="127.0.0.1",
                port=port,
                log_config=None,
                log_level="warning",
                ws="none",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.started
        yield settings, f"http://127.0.0.1:{port}", cards
        server.should_exit = True
        thread.join(timeout=20)
    engine.dispose()
    monkey.undo()


def test_a_resident_reports_a_card_and_an_editor_resolves_it(site, new_page):
    _settings, base, cards = site
    resident = new_page(DESKTOP)
    resident.goto(f"{base}/")
    resident.locator("#bericht").fill("Ik zoek iets om mensen te ontmoeten")
    resident.locator("#bericht").press("Enter")
    resident.locator("ul.kaarten li.kaart").nth(1).wait_for()
    first = resident.locator("ul.kaarten li.kaart").first
    opener = first.get_by_role("button", name="Klopt dit niet?")
    assert opener.get_attribute("aria-expanded") == "false"
    accessible(resident, "chat met kaarten")
    opener.click()
    assert opener.get_attribute("aria-expanded") == "true"
    group = first.get_by_role("group", name="Wat klopt er niet?")
    assert group.get_by_role("button").count() == 6  # five reasons and "Toch niet"
    accessible(resident, "chat met de vraag wat er niet klopt")
    shot(resident, "signalen_chat.png")
    group.get_by_role("button", name="Andere tijd of plaats").click()
    first.get_by_role("status").filter(has_text="Dank je! De redactie kijkt ernaar.").wait_for()
    assert opener.is_hidden()
    # The other card can still be reported; "Toch niet" closes the question again.
    second = resident.locator("ul.kaarten li.kaart").nth(1)
    second.get_by_role("button", name="Klopt dit niet?").click()
    second.get_by_role("button", name="Toch niet").click()
    assert second.get_by_role("group", name="Wat klopt er niet?").is_hidden()

    editor = new_page(DESKTOP)
    log_in(editor, base, "redactie", "redactie.dana")
    editor.get_by_role("link", name="Meldingen").click()
    editor.wait_for_url(f"{base}/redactie/meldingen")
    section = editor.locator("section", has=editor.get_by_role("link", name=cards[0]["naam"]))
    section.get_by_text("Tijd of plaats klopt niet").wait_for()
    assert section.get_by_text("Inwoner, webchat").count() == 1
    accessible(editor, "meldingen met een open melding")
    shot(editor, "signalen_meldingen.png")
    section.get_by_role("button", name="Opgelost").click()
    editor.get_by_text("de meldingen zijn opgelost").wait_for()
    assert editor.get_by_text("Er zijn geen open meldingen.").count() == 1
    accessible(editor, "meldingen na afhandelen")

    editor.get_by_role("link", name="Welk aanbod mist?").click()
    editor.wait_for_url(f"{base}/redactie/vraag")
    assert editor.locator("svg[role=img]").count() == 3
    assert editor.get_by_text("Niets gevonden: 3.").count() == 1
    accessible(editor, "welk aanbod mist")
    shot(editor, "vraag_rapport.png")
    editor.get_by_label("Regio", exact=True).select_option("Gooi en Vechtstreek")
    editor.get_by_role("button", name="Toon").click()
    editor.wait_for_url(f"{base}/redactie/vraag?*")
    accessible(editor, "welk aanbod mist, een regio")
    download = editor.request.get(f"{base}/redactie/vraag/vraag.csv")
    assert download.status == 200 and "eenzaamheid" in download.text()
