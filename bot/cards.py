"""Activity cards on every channel.

actions/matching.py sends each activity as a text (the fallback) with the card
as custom payload {"activiteit": {...}} (fields: sociale_kaart.activity_view.card).
Rasa's REST channel splits such a message in two: the text, then the custom
payload. `attach_cards` joins them again, so a channel gets one message with
"text" and "card". The labels live in bot/cards.yml.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

import yaml

CARD_KEY = "activiteit"
LABELS_FILE = Path(__file__).resolve().parent / "cards.yml"
# The order of the lines under the card's name and short description.
DETAIL_FIELDS = ("waar", "toegankelijkheid", "wanneer", "kosten", "meedoen", "contact")
TEXT_FIELDS = ("id", "naam", "beschrijving", "woonplaats", "link", *DETAIL_FIELDS)


@lru_cache(maxsize=1)
def card_texts() -> dict:
    with open(LABELS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _clean_card(value) -> dict | None:
    if not isinstance(value, dict) or not isinstance(value.get("naam"), str):
        return None
    card = {key: str(value[key]) for key in TEXT_FIELDS if isinstance(value.get(key), str) and value[key]}
    if not card.get("link", "").startswith(("https://", "http://")):
        card.pop("link", None)
    return card


def card_of(message: dict) -> dict | None:
    custom = message.get("custom")
    return _clean_card(custom.get(CARD_KEY)) if isinstance(custom, dict) else None


def attach_cards(replies: list[dict]) -> list[dict]:
    """Replies with each card joined to its text: {"text", "card"}; other custom keys stay."""
    out: list[dict] = []
    for reply in replies:
        card = card_of(reply)
        if card is None:
            out.append(reply)
            continue
        rest = {k: v for k, v in reply["custom"].items() if k != CARD_KEY}
        joined = {k: v for k, v in reply.items() if k != "custom"}
        if rest:
            joined["custom"] = rest
        previous = out[-1] if out else None
        joinable = previous is not None and previous.get("text") and "card" not in previous
        if not reply.get("text") and joinable and not previous.get("buttons"):
            previous["card"] = card
            if rest:
                previous["custom"] = rest
            continue
        joined["card"] = card
        out.append(joined)
    return out


def report_texts() -> dict:
    """The texts of "Klopt dit niet?" (cards.yml, melden) with the reasons as {code: button label}
    (sociale_kaart/meldingen.yml: the one list of reason codes)."""
    from sociale_kaart.signals import reasons

    return {**card_texts()["melden"], "redenen": {code: reason["knop"] for code, reason in reasons().items()}}


def count_line(count: int) -> str:
    texts = card_texts()
    return texts["gevonden_een"] if count == 1 else texts["gevonden_meer"].format(aantal=count)


def telegram_html(card: dict) -> str:
    """A card as one Telegram message (parse mode HTML): name in bold, then a line per field."""
    labels = card_texts()["labels"]
    lines = [f"<b>{html.escape(card['naam'])}</b>"]
    if card.get("beschrijving"):
        lines.append(html.escape(card["beschrijving"]))
    for field in DETAIL_FIELDS:
        value = card.get(field)
        if field == "waar" and value and card.get("woonplaats"):
            value = f"{value}, {card['woonplaats']}"
        if value:
            lines.append(f"<b>{html.escape(labels[field])}:</b> {html.escape(value)}")
    return "\n".join(lines)
