"""HSDS allows HTML (or Markdown) in descriptions; our catalogue holds plain text.

``plain_text`` turns an HTML description into text: paragraphs, line breaks and list items
become lines (a list item starts with "- "), entities are decoded, scripts and styles are
dropped with their content. Text without tags is returned as it is (entities too: "&" in
"Koffie & thee" is no HTML).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sociale_kaart.fields import _TAG

_BLOCKS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "hr"}
)
_DROPPED = frozenset({"script", "style", "template", "head", "title"})


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropped = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self._dropped += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self._dropped = max(0, self._dropped - 1)
        elif tag in _BLOCKS and tag != "li":  # the next item starts its own line
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._dropped:
            self.parts.append(data)


def has_html(value) -> bool:
    return isinstance(value, str) and "<" in value and _TAG.search(value) is not None


def plain_text(value: str) -> str:
    """The text of an HTML fragment, with its paragraphs and list items as lines."""
    parser = _Text()
    parser.feed(value)
    parser.close()
    lines = [re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
