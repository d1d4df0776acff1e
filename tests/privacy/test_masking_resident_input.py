"""Contact details as residents type them (issue 9): every form is masked. Pure Python."""

from __future__ import annotations

import pytest

from bot.privacy.masking import mask

DETAILS = [
    ("bel me op 06-12345678", "telefoon"),
    ("mijn nummer is 06 12 34 56 78", "telefoon"),
    ("+31 6 12345678", "telefoon"),
    ("0031612345678", "telefoon"),
    ("06.12.34.56.78", "telefoon"),
    ("+31(0)612345678", "telefoon"),
    ("035 - 123 45 67", "telefoon"),
    ("06 - 123 456 78", "telefoon"),
    ("tel: 0356541234", "telefoon"),
    ("jan at gmail punt com", "email"),
    ("mail naar j.jansen at ziggo.nl", "email"),
    ("piet at hotmail dot com", "email"),
    ("jan.devries @ hotmail.com", "email"),
    ("jan(at)kpnmail(dot)nl", "email"),
    ("marie@ziggo .nl", "email"),
    ("mail: piet.jansen at live punt nl", "email"),
    ("ik woon op kerkstraat 12", "adres"),
    ("Dorpsstraat 3a, Bussum", "adres"),
    ("ik woon aan de Lange Hout 7", "adres"),
    ("NL91 ABNA 0417 1643 00", "iban"),
    ("nl91abna0417164300", "iban"),
    ("mijn bsn is 123456782", "bsn"),
    ("bsn 1234 56 782", "bsn"),
]


@pytest.mark.parametrize("text, kind", DETAILS)
def test_a_contact_detail_in_any_form_is_masked(text, kind):
    masked = mask(text)
    assert kind in masked.kinds, masked
    assert not any(ch.isdigit() for ch in masked.text), masked.text
    for provider in ("gmail", "hotmail", "ziggo", "live", "kpnmail"):
        assert provider not in masked.text


@pytest.mark.parametrize(
    "text", ["ik ben at home", "kijk at de site", "ik zit at work.", "om 3 uur at home punt"]
)
def test_the_english_word_at_without_an_address_is_left_alone(text):
    assert mask(text).text == text
