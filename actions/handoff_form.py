"""The hand-off form: consent, then one question at a time (docs/privacy.md).

Contact details never reach these actions: the channel's intake stores them
and Rasa only hears `pii_ontvangen` / `pii_ongeldig`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import place
from actions._crisis_first import CrisisFirstFormValidation
from actions._handoff import channel_of, store
from actions._settings import settings
from actions._teksten import fill, utter
from bot.handoff.consent import consent_text

OFFER_HELP_AFTER = 3  # invalid answers in a row before offering to skip or stop
GIVE_UP_AFTER = 6
HELPER_SLOTS = ("handoff_fout", "handoff_hulp")
REQUESTED_SLOT = "requested_slot"


def _consent_for(tracker: Tracker):
    route = store().routing.route(tracker.get_slot("gemeente_code"))
    gemeente = tracker.get_slot("gemeente_naam") or fill("jouw_gemeente")
    return consent_text(route.organisatie, gemeente, settings().retention_days), route


class ValidateHandoffForm(CrisisFirstFormValidation):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("handoff_afgebroken") or tracker.get_slot("handoff_toestemming") is False:
            return []
        if tracker.get_slot("gemeente_code"):
            return [slot for slot in domain_slots if slot != "handoff_plaats"]
        return list(domain_slots)

    async def next_requested_slot(self, dispatcher, tracker, domain):
        # The helper slots are validated with the form but never asked for.
        slots = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = [s for s in slots if s not in HELPER_SLOTS and tracker.slots.get(s) is None]
        return SlotSet(REQUESTED_SLOT, missing[0] if missing else None)

    def validate_handoff_plaats(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        slots = place.place_slots(place.place_from_message(tracker, value), tracker)
        slots["handoff_plaats"] = slots.get("gemeente_code")
        return slots

    def validate_handoff_toestemming(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is True:
            shown = tracker.get_slot("handoff_toestemming_tekst") or {}
            if not shown.get("sha256"):
                consent, _route = _consent_for(tracker)
                shown = {"versie": consent.version, "sha256": consent.sha256}
            store().record_consent(tracker.sender_id, channel_of(tracker), shown["versie"], shown["sha256"])
        return {"handoff_toestemming": value}

    def validate_handoff_naam(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"handoff_naam": value, "handoff_hulp": False}

    def validate_handoff_contact_route(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value not in ("telefoon", "email"):
            return {"handoff_contact_route": None}
        return {"handoff_contact_route": value}

    def validate_handoff_contact(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"handoff_contact": value, "handoff_hulp": False}

    def validate_handoff_notitie(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"handoff_notitie": value, "handoff_hulp": False}

    def validate_handoff_moment(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        moments = ("ochtend", "middag", "avond", "maakt niet uit")
        return {"handoff_moment": value if value in moments else None}

    def validate_handoff_akkoord(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is False:
            utter(dispatcher, "handoff_opnieuw_invullen")
            return {
                "handoff_akkoord": None,
                "handoff_naam": None,
                "handoff_contact_route": None,
                "handoff_contact": None,
                "handoff_moment": None,
                "handoff_notitie": None,
            }
        return {"handoff_akkoord": value}

    def validate_handoff_fout(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        try:
            attempts = int(latest_entity_value(tracker, "pii_pogingen") or 1)
        except (TypeError, ValueError):
            attempts = 1
        if attempts >= GIVE_UP_AFTER:
            utter(dispatcher, "handoff_te_vaak_ongeldig")
            return {"handoff_fout": None, "handoff_afgebroken": True, "requested_slot": None}
        if attempts % OFFER_HELP_AFTER == 0:
            return {"handoff_fout": None, "handoff_hulp": True}
        if value == "naam":
            utter(dispatcher, "handoff_ongeldig_naam")
        elif value == "contact":
            email = tracker.get_slot("handoff_contact_route") == "email"
            utter(dispatcher, "handoff_ongeldig_email" if email else "handoff_ongeldig_telefoon")
        elif value == "notitie":
            utter(dispatcher, "handoff_ongeldig_notitie")
        return {"handoff_fout": None}

    def validate_handoff_hulp(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"handoff_hulp": bool(value)}


def latest_entity_value(tracker: Tracker, entity: str):
    values = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]
    return values[0] if values else None


class ActionAskHandoffPlaats(Action):
    """Where the resident lives, asked with the conversation's own place question."""

    def name(self) -> str:
        return "action_ask_handoff_plaats"

    async def run(self, dispatcher, tracker, domain):
        return place.ActionAskGemeenteCode().run(dispatcher, tracker, domain)


class ActionAskHandoffToestemming(Action):
    """Explain first, then ask consent; remember which text was shown."""

    def name(self) -> str:
        return "action_ask_handoff_toestemming"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        consent, _route = _consent_for(tracker)
        dispatcher.utter_message(
            text=consent.text,
            buttons=[
                {"title": consent.button_yes, "payload": "/bevestigen"},
                {"title": consent.button_no, "payload": "/ontkennen"},
            ],
        )
        return [SlotSet("handoff_toestemming_tekst", {"versie": consent.version, "sha256": consent.sha256})]


class ActionAskHandoffAkkoord(Action):
    """The summary is rendered by the channel from the draft: Rasa never sees the details."""

    def name(self) -> str:
        return "action_ask_handoff_akkoord"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        route = store().routing.route(tracker.get_slot("gemeente_code"))
        moment = tracker.get_slot("handoff_moment")
        dispatcher.utter_message(json_message={"pii_summary": True, "moment": moment, "team": route.naam})
        utter(dispatcher, "ask_handoff_akkoord")
        return []


def _needs_help(tracker: Tracker) -> bool:
    """After repeated invalid answers (validate_handoff_fout) the question offers to skip or stop."""
    return tracker.get_slot("handoff_hulp") is True


class ActionAskHandoffNaam(Action):
    def name(self) -> str:
        return "action_ask_handoff_naam"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        utter(dispatcher, "ask_handoff_naam_hulp" if _needs_help(tracker) else "ask_handoff_naam")
        return []


class ActionAskHandoffContactRoute(Action):
    def name(self) -> str:
        return "action_ask_handoff_contact_route"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        utter(dispatcher, "ask_handoff_contact_route")
        return []


class ActionAskHandoffContact(Action):
    """The phone number or the e-mail address, as the resident chose."""

    def name(self) -> str:
        return "action_ask_handoff_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        if _needs_help(tracker):
            utter(dispatcher, "ask_handoff_contact_hulp")
        elif tracker.get_slot("handoff_contact_route") == "email":
            utter(dispatcher, "ask_handoff_contact_email")
        else:
            utter(dispatcher, "ask_handoff_contact_telefoon")
        return []


class ActionAskHandoffMoment(Action):
    def name(self) -> str:
        return "action_ask_handoff_moment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        utter(dispatcher, "ask_handoff_moment")
        return []


class ActionAskHandoffNotitie(Action):
    def name(self) -> str:
        return "action_ask_handoff_notitie"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        utter(dispatcher, "ask_handoff_notitie_hulp" if _needs_help(tracker) else "ask_handoff_notitie")
        return []
