"""The editors' cycle in a real browser (Debian's chromium via Playwright) against the real
stack (Rasa with the trained model, action server, web app on 127.0.0.1):

a resident sees an activity in the chat -> an editor logs in (keyboard only), edits its
name and sends it ter controle -> an eindredacteur publishes it -> the resident's chat
shows the new name (the action server's match index follows the change) -> the history
shows the diff -> a revert, published again, restores the old name. axe-core finds no
WCAG 2.1 A/AA violation on any back-office page. Screenshots for docs/redactie.md.
"""

from __future__ import annotations

import pytest
from browser_support import DESKTOP, axe_violations
from sqlalchemy import select

from bot import accounts
from bot.handoff.db import session_scope
from bot.settings import PROJECT_ROOT
from sociale_kaart import models

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

IMAGES = PROJECT_ROOT / "docs" / "img"
PASSWORD = "lang-en-geheim-wachtwoord"
CARDS = "ul.kaarten"


def shot(page, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / name), full_page=False)


def accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def ask(frame, text: str) -> None:
    before = frame.locator(".bubble.bot, ul.kaarten").count()
    frame.locator("#bericht").fill(text)
    frame.locator("#bericht").press("Enter")
    frame.wait_for_function(
        "n => document.querySelectorAll('.bubble.bot, ul.kaarten').length > n"
        " && document.getElementById('bezig').hidden", arg=before)


def resident_cards(new_page, web_url: str) -> tuple[str, list[str]]:
    """A new resident asks for company in Gooise Meren; the ids and text of the shown cards."""
    page = new_page(DESKTOP)
    page.goto(f"{web_url}/?gemeente=GM1942")
    frame = page.main_frame
    frame.locator(".bubble.bot", has_text="Ik zoek in Gooise Meren.").wait_for()
    ask(frame, "Ik voel me vaak alleen")
    for _ in range(3):
        if frame.locator(CARDS).count():
            break
        buttons = frame.locator(".buttons button:not([disabled])")
        titles = [buttons.nth(i).inner_text() for i in range(buttons.count())]
        wanted = next((t for t in titles if "ontmoeten" in t.lower()), titles[0])
        before = frame.locator(".bubble.bot, ul.kaarten").count()
        buttons.filter(has_text=wanted).first.click()
        frame.wait_for_function(
            "n => document.querySelectorAll('.bubble.bot, ul.kaarten').length > n"
            " && document.getElementById('bezig').hidden", arg=before)
    assert frame.locator(CARDS).count()
    href = frame.locator("p.print a").last.get_attribute("href")
    ids = href.split("ids=", 1)[1].split(",")
    text = frame.locator(CARDS).last.inner_text()
    page.close()
    return text, ids


def login_by_keyboard(page, base: str, username: str) -> None:
    page.goto(f"{base}/redactie/inloggen")
    accessible(page, "inloggen")
    page.locator("body").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "gebruikersnaam":
            break
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/redactie/")


@pytest.fixture(scope="module")
def editors(stack):
    with session_scope(stack.settings.database_url) as db:
        region = db.execute(
            select(models.Municipality.regio).where(models.Municipality.code == "GM1942")
        ).scalar_one()
        for name, role in (("redacteur.anna", "redacteur"), ("eindred.bert", "eindredacteur")):
            user = accounts.find_user(db, name) or accounts.create_user(db, name, PASSWORD)
            accounts.grant(db, user, role, accounts.SCOPE_REGION, region)
        admin = accounts.find_user(db, "beheer.cor") or accounts.create_user(db, "beheer.cor", PASSWORD)
        accounts.grant(db, admin, "beheerder", accounts.SCOPE_ALL)
    return stack


def publish_as(page, base: str, key: str) -> None:
    page.goto(f"{base}/redactie/activiteit/{key}")
    accessible(page, "activiteit (eindredacteur)")
    page.get_by_role("button", name="Publiceren").click()
    page.get_by_text("Gepubliceerd. Inwoners zien nu deze versie.").wait_for()


def test_edit_publish_chat_history_revert(editors, new_page):
    stack = editors
    base = stack.web_url
    before_text, ids = resident_cards(new_page, base)
    with session_scope(stack.settings.database_url) as db:
        names = dict(db.execute(select(models.Activity.id, models.Activity.naam).where(models.Activity.id.in_(ids))).all())
    key = next(i for i in ids if names[i] in before_text)
    old_name = names[key]
    new_name = f"{old_name} (nieuwe naam)"

    editor = new_page(DESKTOP)
    login_by_keyboard(editor, base, "redacteur.anna")
    accessible(editor, "lijst")
    shot(editor, "redactie_lijst.png")
    editor.get_by_label("Zoek in naam en beschrijving").fill(old_name.split()[0])
    editor.get_by_role("button", name="Zoeken").click()
    editor.get_by_role("link", name=old_name).first.click()
    editor.wait_for_url(f"{base}/redactie/activiteit/{key}")
    accessible(editor, "activiteit")
    editor.get_by_label("Naam (verplicht)").fill(new_name)
    shot(editor, "redactie_bewerken.png")
    editor.get_by_role("button", name="Opslaan als concept").click()
    editor.get_by_text("Opgeslagen als concept.").wait_for()
    editor.get_by_role("button", name="Ter controle sturen").click()
    editor.get_by_text("Verstuurd ter controle.").wait_for()
    # Not yet published: the resident still sees the old name.
    text, _ = resident_cards(new_page, base)
    assert new_name not in text

    editor.goto(f"{base}/redactie/verouderd")
    accessible(editor, "verouderd")
    shot(editor, "redactie_controleren.png")

    reviewer = new_page(DESKTOP)
    login_by_keyboard(reviewer, base, "eindred.bert")
    assert reviewer.get_by_role("heading", name="Ter controle (1)").count() == 1
    shot(reviewer, "redactie_ter_controle.png")
    publish_as(reviewer, base, key)

    text, _ = resident_cards(new_page, base)
    assert new_name in text, text

    editor.goto(f"{base}/redactie/activiteit/{key}/versies")
    accessible(editor, "versies")
    diff = editor.locator("table.diff").first
    assert diff.locator("del", has_text=old_name).count() == 1
    assert diff.locator("ins", has_text=new_name).count() == 1
    shot(editor, "redactie_versies.png")
    editor.get_by_role("button", name="Terugzetten naar versie 0").click()
    editor.get_by_text("De oude versie staat klaar als nieuw concept.").wait_for()
    editor.get_by_role("button", name="Ter controle sturen").click()
    editor.get_by_text("Verstuurd ter controle.").wait_for()
    publish_as(reviewer, base, key)
    with session_scope(stack.settings.database_url) as db:
        assert db.get(models.Activity, key).naam == old_name
    text, _ = resident_cards(new_page, base)
    assert new_name not in text and old_name in text

    admin = new_page(DESKTOP)
    login_by_keyboard(admin, base, "beheer.cor")
    admin.goto(f"{base}/redactie/accounts")
    accessible(admin, "accounts")
    admin.goto(f"{base}/redactie/nieuw?van={key}")
    accessible(admin, "nieuw")
