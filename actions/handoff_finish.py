"""End of the hand-off form (send, or store nothing), stopping, and deletion on request."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions._handoff import FORM_SLOTS, channel_of, request_context, store
from actions._teksten import NAME_KEY, fill, templates, utter
from actions.status import ask_what_with_code, asks_deletion, asks_status, say_status, say_status_outcome
from bot.handoff.pickup import MARKER as PICKUP_MARKER
from bot.handoff.reference import REFERENCE_PATTERN
from bot.handoff.store import HandoffError, normalise_reference_code

logger = logging.getLogger(__name__)


def _reset() -> list:
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("handoff_hulp", False)]


class ActionHandoffAfronden(Action):
    def name(self) -> str:
        return "action_handoff_afronden"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        if tracker.get_slot("handoff_akkoord") is not True:
            store().forget_draft(tracker.sender_id)
            if tracker.get_slot("handoff_toestemming") is False:
                utter(dispatcher, "handoff_geen_toestemming")
            return _reset()
        try:
            submitted = store().submit(tracker.sender_id, request_context(tracker))
        except HandoffError as error:
            logger.warning("hand-off not stored: %s", error.reason)
            utter(dispatcher, "handoff_opslaan_mislukt")
            return _reset()
        except Exception:  # the database is down or locked: say so honestly, claim nothing
            logger.exception("hand-off not stored")
            utter(dispatcher, "handoff_opslaan_mislukt")
            return _reset()
        organisation = store().routing.route(tracker.get_slot("gemeente_code")).organisatie
        if not submitted.created:
            utter(dispatcher, "handoff_al_verstuurd", referentie=submitted.reference_code)
            return _reset() + [SlotSet("handoff_referentie", submitted.reference_code)]
        utter(dispatcher, "handoff_verstuurd", referentie=submitted.reference_code, team=organisation)
        # Next: may the resident get a short message when a coach picks it up (opt-in)?
        return _reset() + [
            SlotSet("handoff_referentie", submitted.reference_code),
            FollowupAction("action_handoff_ophaalbericht_vraag"),
        ]


class ActionHandoffOphaalberichtVraag(Action):
    """After a sent request: a short message on the resident's own channel once a coach
    has picked it up? The answer goes to action_handoff_ophaalbericht (data/handoff.yml)."""

    def name(self) -> str:
        return "action_handoff_ophaalbericht_vraag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        utter(dispatcher, "handoff_ophaalbericht_vraag")
        return []


class ActionHandoffOphaalbericht(Action):
    """Yes: the channel stores the opt-in with the request (the marker in the reply;
    bot/handoff/pickup.py), with its own address, which Rasa never sees. No: nothing."""

    def name(self) -> str:
        return "action_handoff_ophaalbericht"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        code = tracker.get_slot("handoff_referentie")
        if intent != "bevestigen" or not code:
            utter(dispatcher, "handoff_ophaalbericht_uit")
            return []
        if channel_of(tracker) == "telegram":
            utter(dispatcher, "handoff_ophaalbericht_aan_telegram")
        else:
            utter(dispatcher, "handoff_ophaalbericht_aan_web")
        dispatcher.utter_message(json_message={PICKUP_MARKER: code})
        return []


class ActionHandoffStoppen(Action):
    def name(self) -> str:
        return "action_handoff_stoppen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        store().forget_draft(tracker.sender_id)
        utter(dispatcher, "handoff_gestopt")
        return [ActiveLoop(None), SlotSet("requested_slot", None)] + _reset()


class ActionHandoffVerwijderenVraag(Action):
    """Ask before deleting: this conversation's data, or a request by its reference code."""

    def name(self) -> str:
        return "action_handoff_verwijderen_vraag"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        code = _latest_code(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        if code and intent == "referentiecode_noemen" and not asks_deletion(text):
            # A code alone, or with a question about its status: never an offer to delete.
            if asks_status(text):
                say_status(dispatcher, tracker)
            else:
                ask_what_with_code(dispatcher, code)
            return [SlotSet("handoff_verwijderen", None)]
        if code:
            utter(dispatcher, "handoff_verwijder_vraag_code", referentie=code)
            return [SlotSet("handoff_referentie", code), SlotSet("handoff_verwijderen", True)]
        if store().has_data_for_sender(tracker.sender_id):
            utter(dispatcher, "handoff_verwijder_vraag_gesprek")
            return [SlotSet("handoff_referentie", None), SlotSet("handoff_verwijderen", True)]
        utter(dispatcher, "handoff_vraag_referentie")
        return [SlotSet("handoff_verwijderen", None)]


class ActionHandoffVerwijderen(Action):
    def name(self) -> str:
        return "action_handoff_verwijderen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        events = [SlotSet("handoff_verwijderen", None), SlotSet("handoff_referentie", None)]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent != "bevestigen":
            utter(dispatcher, "handoff_niet_gewist")
            return events
        code = tracker.get_slot("handoff_referentie")
        if code:
            # A request by code needs a second factor: the phone number or e-mail
            # given with it. The channel's intake takes the answer outside Rasa,
            # checks it and deletes (bot/handoff/intake.py); Rasa only hears the outcome.
            template = templates()["handoff_verwijder_controle"]
            dispatcher.utter_message(
                text=fill("handoff_verwijder_controle"),
                buttons=[dict(button) for button in template.get("buttons", [])],
                json_message={**template["custom"], "pii_referentie": code},
                **{NAME_KEY: "handoff_verwijder_controle"},
            )
            return events
        store().delete_for_sender(tracker.sender_id)
        utter(dispatcher, "handoff_gewist")
        return events + _reset()


class ActionHandoffVerwijderUitkomst(Action):
    """What the intake found for the second factor: deleted, or one uniform refusal."""

    def name(self) -> str:
        return "action_handoff_verwijder_uitkomst"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        entities = tracker.latest_message.get("entities", [])
        outcome = next((e.get("value") for e in entities if e.get("entity") == "verificatie"), None)
        if isinstance(outcome, str) and outcome.startswith("status"):
            say_status_outcome(dispatcher, outcome)  # a status lookup by code, not a deletion
        elif outcome == "gewist":
            utter(dispatcher, "handoff_gewist")
        elif outcome == "te_vaak":
            utter(dispatcher, "handoff_controle_te_vaak")
        else:
            utter(dispatcher, "handoff_controle_mislukt")
        return [SlotSet("handoff_verwijderen", None), SlotSet("handoff_referentie", None)]


def _latest_code(tracker: Tracker) -> str | None:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "referentiecode" and isinstance(entity.get("value"), str):
            return normalise_reference_code(entity["value"])
    found = REFERENCE_PATTERN.search(tracker.latest_message.get("text") or "")
    return normalise_reference_code(found.group(0)) if found else None
