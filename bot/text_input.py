"""Is a resident's message readable text? Shared by the web chat and the Telegram bridge.

JSON can carry what is not valid Unicode text: a lone UTF-16 surrogate
("\\ud800"), and control characters such as NUL. Passed on, they break Rasa's
requests, the tracker store (PostgreSQL refuses NUL) or the logs, and the resident
would get a "storing" reply for a fault of the input. The channels refuse such a
message with a clear Dutch answer instead (`ongeldige_tekens` in
bot/channel_messages.yml), before anything is stored or sent to Rasa.
"""

from __future__ import annotations

import re

# C0 controls except tab, newline and carriage return; DEL; C1 controls; the
# noncharacters U+FFFE and U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def is_readable_text(text: str) -> bool:
    """False for a lone surrogate, a control character or a noncharacter anywhere."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return _CONTROL.search(text) is None
