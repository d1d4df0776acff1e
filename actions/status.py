"""A question about the status of a request: looked up with the reference code plus
the phone number or e-mail address given with it (the second factor).

Never an offer to delete. With a code, the bot asks for the second factor; the
channel's intake takes that answer outside Rasa, compares it with the stored
(encrypted) value and gives Rasa only `/verificatie_uitkomst{"verificatie":
"status:<status>"}` or the uniform "status_mislukt" (unknown code and wrong
factor alike; bot/handoff/intake.py). Without a code, the bot asks for it and
says that a welzijnscoach contacts the resident within two weeks. Whether a
reference code exists is not revealed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions._handoff import store
from actions._responses import intent_payload
from actions._teksten import NAME_KEY, fill, templates, utter
from bot.handoff.reference import REFERENCE_PATTERN
from bot.handoff.store import normalise_reference_code

WORDS_FILE = Path(__file__).with_name("status_woorden.yml")


@lru_cache(maxsize=1)
def _words() -> dict[str, re.Pattern]:
    with open(WORDS_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {
        kind: re.compile(r"\b(" + "|".join(re.escape(w) for w in data[kind]) + r")\b", re.IGNORECASE)
        for kind in ("status", "wissen")
    }


def reference_in(tracker: Tracker) -> str | None:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "referentiecode" and isinstance(entity.get("value"), str):
            return normalise_reference_code(entity["value"])
    found = REFERENCE_PATTERN.search(tracker.latest_message.get("text") or "")
    return normalise_reference_code(found.group(0)) if found else None


def asks_status(text: str) -> bool:
    return bool(_words()["status"].search(text or "")) and not asks_deletion(text)


def asks_deletion(text: str) -> bool:
    return bool(_words()["wissen"].search(text or ""))


def team_name(tracker: Tracker) -> str:
    code = tracker.get_slot("gemeente_code")
    if not code:
        return fill("team_onbekend")
    return store().routing.route(code).organisatie


def say_status(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    code = reference_in(tracker)
    if code:
        # The second factor: the intake takes the next message outside Rasa and checks it.
        template = templates()["status_controle"]
        dispatcher.utter_message(
            text=fill("status_controle", referentie=code),
            buttons=[dict(button) for button in template.get("buttons", [])],
            json_message={**template["custom"], "pii_referentie": code},
            **{NAME_KEY: "status_controle"},
        )
    else:
        utter(dispatcher, "status_aanvraag", team=team_name(tracker))


def say_status_outcome(dispatcher: CollectingDispatcher, outcome: str) -> None:
    """The status found by the intake ("status:<status>"), in B1; anything else: the uniform refusal."""
    found = outcome.startswith("status:")
    suffix = "_" + outcome.removeprefix("status:").replace(" ", "_")
    # The names are written out, so the template test can check every one this can send.
    utter(
        dispatcher,
        next(
            (
                name
                for name in (
                    "status_inwoner_nieuw",
                    "status_inwoner_opgepakt",
                    "status_inwoner_in_contact",
                    "status_inwoner_afgerond",
                    "status_inwoner_niet_bereikt",
                )
                if found and name.endswith(suffix)
            ),
            "status_controle_mislukt",
        ),
    )


def ask_what_with_code(dispatcher: CollectingDispatcher, code: str) -> None:
    """Only a code: ask what they want, status or deletion (never assume deletion)."""
    buttons = [
        {"title": fill("knop_status"), "payload": intent_payload("vraag_status", referentiecode=code)},
        {"title": fill("knop_wissen"), "payload": intent_payload("verwijder_gegevens", referentiecode=code)},
    ]
    utter(dispatcher, "referentiecode_wat", buttons=buttons, referentie=code)


class ActionStatusAanvraag(Action):
    def name(self) -> str:
        return "action_status_aanvraag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        say_status(dispatcher, tracker)
        return []
