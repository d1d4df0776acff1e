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
from browser_support import DESKTOP, PASSWORD, accessible, log_in, shot
from sqlalchemy import select

from bot import accounts
from bot.handoff.db import session_scope
from bot.settings import PROJECT_ROOT
from sociale_kaart import models

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CARDS = "ul.kaarten"


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
    """The back office's login, keyboard only; its page is checked with axe-core first."""
    log_in(page, base, "redactie", username, keyboard=True, check=lambda login: accessible(login, "inloggen"))


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


# -- every back-office page, without Rasa: the web app alone on uvicorn -------------------
DEMO = PROJECT_ROOT / "sociale_kaart" / "demo"
KOFFIE = "act-gooise-meren-koffie-inloop"
FIETS = "act-gooise-meren-fietsgroep"


@pytest.fixture(scope="module")
def backoffice(tmp_path_factory):
    """The web app on 127.0.0.1 with a migrated SQLite database, the demo catalogue, an editor,
    an eindredacteur and a beheerder, and verification reminders queued for stale entries."""
    import datetime as dt
    import socket
    import threading
    import time

    import uvicorn

    from bot.handoff import verification
    from bot.handoff.db import make_engine, migrate
    from bot.settings import Settings
    from bot.web.app import create_app
    from sociale_kaart import editorial
    from sociale_kaart.db import migrate as migrate_catalogue
    from sociale_kaart.importer import import_paths

    var = tmp_path_factory.mktemp("redactie")
    monkey = pytest.MonkeyPatch()
    monkey.setenv("WW_VAR_DIR", str(var))
    monkey.delenv("WW_DATABASE_URL", raising=False)
    monkey.delenv("WW_REDIS_URL", raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkey.setenv("WW_PUBLIC_URL", f"http://127.0.0.1:{port}")
    monkey.setenv("WW_REDACTIE_REMINDER_MAX", "1")
    settings = Settings.from_env()
    migrate_catalogue(settings.database_url)
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    assert import_paths(engine, sorted(DEMO.glob("*.yml"))).ok
    with session_scope(settings.database_url) as db:
        for name, role, kind, code, email in (
            ("redacteur.anna", "redacteur", accounts.SCOPE_REGION, "Gooi en Vechtstreek", "anna@welzijn.example"),
            ("eindred.bert", "eindredacteur", accounts.SCOPE_REGION, "Gooi en Vechtstreek", None),
            ("beheer.cor", "beheerder", accounts.SCOPE_ALL, None, None),
        ):
            user = accounts.create_user(db, name, PASSWORD, email=email)
            accounts.grant(db, user, role, kind, code)
    for key in (KOFFIE, FIETS):
        editorial.set_owner(engine, key, "redacteur.anna")
    policy = verification.ReminderPolicy.from_settings(settings)
    sent = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=policy.interval_days + 1)
    assert verification.queue_due(engine, policy, now=sent).queued >= 2  # one, unanswered for 15 days
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None,
                                           log_level="warning", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started
    yield settings, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=20)
    monkey.undo()


def test_every_back_office_page_has_no_wcag_violation(backoffice, new_page, tmp_path):
    """axe-core on every page of /redactie, error states included; screenshots for the guide."""
    from bot.handoff import verification

    settings, base = backoffice
    editor = new_page(DESKTOP)
    login_by_keyboard(editor, base, "redacteur.anna")  # the login page is checked in there
    accessible(editor, "lijst")
    editor.goto(f"{base}/redactie/?zoek=koffie&gemeente=GM1942&sorteer=gecontroleerd")
    accessible(editor, "lijst met zoekresultaat")
    assert editor.get_by_role("link", name="Koffie-inloop Bussum").count() == 1

    # The form, with an error: nothing typed is lost, the Dutch message is at the field.
    editor.goto(f"{base}/redactie/activiteit/{KOFFIE}")
    accessible(editor, "activiteit")
    editor.get_by_label("Naam (verplicht)").fill("")
    editor.get_by_label("Naam (verplicht)").evaluate("e => e.removeAttribute('required')")
    editor.get_by_role("button", name="Opslaan als concept").click()
    editor.get_by_text("Er klopt iets niet in het formulier.").wait_for()
    accessible(editor, "activiteit met fouten")
    shot(editor, "redactie_fout.png")
    editor.get_by_label("Naam (verplicht)").fill("Koffie-inloop Bussum en Naarden")
    editor.get_by_role("button", name="Opslaan als concept").click()
    editor.get_by_text("Opgeslagen als concept.").wait_for()
    editor.get_by_role("button", name="Ter controle sturen").click()
    editor.get_by_text("Verstuurd ter controle.").wait_for()
    editor.goto(f"{base}/redactie/nieuw?van={FIETS}")
    accessible(editor, "nieuw (kopie)")
    editor.goto(f"{base}/redactie/verouderd")
    accessible(editor, "verouderd met herinneringen")
    assert editor.locator("strong.geen-reactie").count() >= 2
    headings = editor.locator("section h2").all_inner_texts()
    assert headings[0].startswith("redacteur.anna") and headings[-1].startswith("Zonder eigenaar")
    shot(editor, "redactie_herinneringen.png")
    editor.goto(f"{base}/redactie/?herinnering=geen_reactie")
    accessible(editor, "lijst: geen reactie")
    assert editor.get_by_role("link", name="Fietsclub De Trappers").count() == 1
    editor.goto(f"{base}/redactie/meldingen")
    accessible(editor, "meldingen")
    editor.goto(f"{base}/redactie/vraag")
    accessible(editor, "welk aanbod mist")
    editor.goto(f"{base}/redactie/activiteit/bestaat-niet")
    accessible(editor, "foutpagina")

    # The review queue and publishing (another person: four eyes), then the history.
    reviewer = new_page(DESKTOP)
    login_by_keyboard(reviewer, base, "eindred.bert")
    assert reviewer.get_by_role("heading", name="Ter controle (1)").count() == 1
    accessible(reviewer, "ter controle")
    publish_as(reviewer, base, KOFFIE)
    reviewer.goto(f"{base}/redactie/activiteit/{KOFFIE}/versies")
    accessible(reviewer, "versies")
    assert reviewer.locator("table.diff ins", has_text="Koffie-inloop Bussum en Naarden").count() == 1

    # Import: upload -> dry-run diff; a broken file -> the Dutch problems; export.
    admin = new_page(DESKTOP)
    login_by_keyboard(admin, base, "beheer.cor")
    exported = admin.request.get(f"{base}/redactie/export.yml")
    assert exported.status == 200 and "yaml" in exported.headers["content-type"]
    changed = tmp_path / "kaart.yml"
    changed.write_text(exported.text().replace("Fietsclub De Trappers", "Fietsclub De Trappers Bussum"),
                       encoding="utf-8")
    admin.goto(f"{base}/redactie/importeren")
    accessible(admin, "importeren")
    admin.get_by_label("Bestand").set_input_files(str(changed))
    # The dry run of the whole demo catalogue: minutes on a loaded test machine.
    admin.get_by_role("button", name="Bekijken wat er verandert").click(timeout=600_000)
    admin.get_by_role("button", name="Ja, lees dit in").wait_for(timeout=600_000)
    accessible(admin, "importeren: wat verandert")
    assert admin.get_by_role("cell", name="Fietsclub De Trappers Bussum").count() >= 1
    shot(admin, "redactie_importeren.png")
    broken = tmp_path / "kapot.yml"
    broken.write_text("activiteiten: [\n  - id: x\n", encoding="utf-8")
    admin.goto(f"{base}/redactie/importeren")
    admin.get_by_label("Bestand").set_input_files(str(broken))
    admin.get_by_role("button", name="Bekijken wat er verandert").click()
    admin.get_by_text("Er is niets ingelezen.").wait_for()
    accessible(admin, "importeren: fouten")

    # Accounts (beheerder): the list, a refused form, an account's page.
    admin.goto(f"{base}/redactie/accounts")
    accessible(admin, "accounts")
    admin.get_by_label("Gebruikersnaam", exact=True).fill("coach.dina")
    admin.get_by_label("Wachtwoord (minstens 12 tekens)").fill(PASSWORD)
    admin.get_by_label("Wachtwoord nog een keer").fill("iets anders")
    admin.get_by_label("Rol").select_option("coach")
    admin.get_by_label("Geldt voor").select_option("organisation")
    admin.get_by_role("button", name="Account maken").click()
    admin.get_by_text("De wachtwoorden zijn niet gelijk.").first.wait_for()
    accessible(admin, "accounts met fouten")
    admin.get_by_label("Wachtwoord (minstens 12 tekens)").fill(PASSWORD)
    admin.get_by_label("Wachtwoord nog een keer").fill(PASSWORD)
    admin.get_by_label("Geldt voor").select_option("team")
    admin.get_by_label("Code van het team of de organisatie, of naam van de regio").fill("versa-welzijn")
    admin.get_by_role("button", name="Account maken").click()
    admin.get_by_text("Het account is gemaakt.").wait_for()
    accessible(admin, "account")
    shot(admin, "redactie_account.png")
    admin.goto(f"{base}/redactie/accounts")
    shot(admin, "redactie_accounts.png")

    # The signed link of a reminder mail: one button, then done.
    from sqlalchemy import select as sql_select

    with session_scope(settings.database_url) as db:
        checked = db.execute(sql_select(models.Activity.laatst_gecontroleerd_op)
                             .where(models.Activity.id == FIETS)).scalar_one()
    token = verification.make_token(settings.secret_key, FIETS, checked.isoformat() if checked else None)
    owner = new_page(DESKTOP)
    owner.goto(f"{base}/redactie/klopt-nog/{token}")
    accessible(owner, "klopt nog")
    shot(owner, "redactie_klopt_nog.png")
    owner.get_by_role("button", name="Ja, het klopt nog").click()
    owner.get_by_text("We hebben opgeslagen dat de informatie nog klopt.").wait_for()
    accessible(owner, "klopt nog: klaar")
    owner.goto(f"{base}/redactie/klopt-nog/{token}")
    accessible(owner, "klopt nog: link gebruikt")
    with session_scope(settings.database_url) as db:
        import datetime as dt

        assert db.get(models.Activity, FIETS).laatst_gecontroleerd_op == dt.date.today()
