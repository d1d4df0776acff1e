"""The actions' door to the hand-off store: one store per process, built from the settings."""

from __future__ import annotations

from functools import lru_cache

from actions._settings import settings
from bot.handoff.store import HandoffStore, RequestContext

FORM_SLOTS = (
    "handoff_plaats",
    "handoff_toestemming",
    "handoff_toestemming_tekst",
    "handoff_naam",
    "handoff_contact_route",
    "handoff_contact",
    "handoff_moment",
    "handoff_notitie",
    "handoff_akkoord",
    "handoff_fout",
    "handoff_afgebroken",
)


@lru_cache(maxsize=1)
def store() -> HandoffStore:
    return HandoffStore.from_settings(settings())


# Rasa's REST channel carries no channel name; the channels prefix their sender ids.
SENDER_PREFIXES = {"web-": "web", "tg-": "telegram"}


def channel_of(tracker) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    if metadata.get("channel"):
        return str(metadata["channel"])
    for prefix, channel in SENDER_PREFIXES.items():
        if tracker.sender_id.startswith(prefix):
            return channel
    return tracker.get_latest_input_channel() or "web"


def request_context(tracker) -> RequestContext:
    moment = tracker.get_slot("handoff_moment") or ""
    return RequestContext(
        gemeente_code=tracker.get_slot("gemeente_code"),
        gemeente_naam=tracker.get_slot("gemeente_naam"),
        themes=list(tracker.get_slot("themas") or []),
        activities_shown=list(tracker.get_slot("getoond") or []),
        preferred_moment=moment,
    )
