"""bot.privacy.masking: every kind of contact detail is masked, in many spellings,
and what is not a contact detail (times, dates, amounts, ages, postcodes,
reference codes, street names without a number, ordinary words after "ik ben")
stays as it was typed."""
from __future__ import annotations

import pytest

from bot.privacy.masking import PLACEHOLDERS, mask

# (message, kind, the part that must be gone)
MASKED = [
    # phone numbers: mobile, landline, +31 / 0031, with spaces, dashes, dots, brackets
    ("bel me op 0612345678", "telefoon", "0612345678"),
    ("mijn nummer is 06-12345678", "telefoon", "12345678"),
    ("06 1234 5678 graag na vijven", "telefoon", "1234 5678"),
    ("06 12 34 56 78", "telefoon", "34 56 78"),
    ("06.12.34.56.78", "telefoon", "34.56.78"),
    ("+31 6 12345678", "telefoon", "12345678"),
    ("+31612345678", "telefoon", "612345678"),
    ("+31 (0)6-1234 5678", "telefoon", "1234 5678"),
    ("0031 6 1234 5678", "telefoon", "1234 5678"),
    ("(035) 123 45 67 is mijn vaste nummer", "telefoon", "123 45 67"),
    ("020-1234567", "telefoon", "1234567"),
    ("bel 088 123 4567", "telefoon", "123 4567"),
    ("mijn telefoonnummer: 0353 123 456", "telefoon", "123 456"),
    ("mijn zoon woont in Duitsland: +49 30 1234567", "telefoon", "1234567"),
    ("ik wil niet meer leven, bel me op 0612345678", "telefoon", "0612345678"),
    ("06 - 12 34 56 78", "telefoon", "34 56 78"),
    ("06–12345678 (met een streepje van de telefoon)", "telefoon", "12345678"),
    ("035/1234567", "telefoon", "1234567"),
    ("IK BEN BEREIKBAAR OP 0612345678", "telefoon", "12345678"),
    # e-mail addresses, also written out
    ("mail naar fatima.devries@gmail.com aub", "email", "fatima.devries"),
    ("FATIMA@HOTMAIL.NL", "email", "FATIMA"),
    ("fatima @ ziggo.nl", "email", "fatima"),
    ("fatima(at)hotmail.nl", "email", "fatima"),
    ("fatima apenstaartje ziggo punt nl", "email", "fatima"),
    ("j.de-vries+chat@gemeente-bussum.nl is mijn mail", "email", "de-vries"),
    # IBANs
    ("mijn iban is NL91ABNA0417164300", "iban", "0417164300"),
    ("NL91 ABNA 0417 1643 00 is mijn rekening", "iban", "0417 1643"),
    ("nl91abna0417164300", "iban", "0417164300"),
    ("DE89 3704 0044 0532 0130 00", "iban", "0532 0130"),
    ("BE68539007547034 graag terugstorten", "iban", "539007547034"),
    # BSN-like numbers, with or without elfproef
    ("mijn bsn is 123456782", "bsn", "123456782"),
    ("bsn 1234.56.782", "bsn", "1234.56.782"),
    ("bsn 123 456 782", "bsn", "456 782"),
    ("burgerservicenummer 111222333", "bsn", "111222333"),
    # street addresses with a house number
    ("ik woon op de Molenweg 4 in Bussum", "adres", "Molenweg 4"),
    ("Dorpsstraat 12", "adres", "Dorpsstraat 12"),
    ("Kerkweg 3a, 1234 AB Hilversum", "adres", "Kerkweg 3a"),
    ("Laan van Meerdervoort 102", "adres", "Meerdervoort"),
    ("mijn adres is Burgemeester de Withstraat 4-2", "adres", "Withstraat"),
    ("ik woon in de kerkstraat 5 hoog", "adres", "kerkstraat 5"),
    ("ik woon op zuideinde 12", "adres", "zuideinde 12"),
    ("Ik woon aan de Oude Gracht 77 bis", "adres", "Gracht 77"),
    ("kom maar langs op Prins Hendrikkade 12", "adres", "Hendrikkade 12"),
    ("Dorpsstraat nr 12", "adres", "Dorpsstraat"),
    ("ik woon in de Kerkstraat, nummer 5", "adres", "Kerkstraat"),
    ("Dorpsstraat 12-A in Bussum", "adres", "12-A"),
    # names after a cue
    ("ik ben Fatima de Vries", "naam", "Fatima"),
    ("Ik ben Roos de Vries en ik ben moe", "naam", "Vries"),
    ("ik heet fatima de vries en ik woon in bussum", "naam", "fatima"),
    ("mijn naam is Jan Jansen", "naam", "Jansen"),
    ("mijn naam is piet de boer", "naam", "boer"),
    ("Ik ben Jan", "naam", "Jan"),
    ("ik heet eigenlijk Fatima", "naam", "Fatima"),
    ("Hoi, ik ben Mohammed El Amrani. Ik zoek hulp", "naam", "Amrani"),
    ("Groetjes, Anna", "naam", "Anna"),
    ("noem me maar Bep", "naam", "Bep"),
    ("Naam: Fatima de Vries", "naam", "Fatima"),
    ("IK BEN FATIMA", "naam", "FATIMA"),
]

# Messages without any contact detail: they reach Rasa exactly as typed.
KEPT = [
    "om 14.30 heb ik een afspraak",
    "op 01-12-2026 om 09.30",
    "06-12-2026 14.30",
    "tussen 09.00-12.00 kan ik",
    "ik verdien € 1200 per maand",
    "ik heb 1.250,50 euro schuld",
    "ik ben 78 jaar",
    "mijn postcode is 1215 AB",
    "1215AB",
    "mijn referentie is WW-ABC234",
    "hoe staat het met WW-7K4M2P?",
    "ik heb 113 gebeld en 0800-0113",
    "ik woon al 12 jaar in Hilversum",
    "ik woon aan de Dorpsstraat",
    "ik loop 3 keer per week",
    "ik werk 32 uur per week",
    "in groep 8 zit mijn zoon",
    "ik ben onderweg 10 minuten",
    "ik ben eenzaam sinds mijn man overleed in 2019",
    "ik heb 2 kinderen van 4 en 6",
    "ik ben moe",
    "Ik ben Bang dat het niet lukt",
    "ik ben mantelzorger voor mijn moeder",
    "ik ben van Marokkaanse afkomst",
    "Ik ben Nederlander",
    "ik ben weduwe",
    "ik ben de moeder van twee kinderen",
    "ik ga dood van de stress",
    "ik voel me eenzaam",
    "Hilversum",
    "ik zoek iets in Bussum of Huizen",
    "laan 3",
    "op 01/12/2026 om 10.00",
    "om 10.30 - 11.30 uur",
    "tussen 13:00 en 15:00",
    "IK BEN MOE",
    "ik heb 3 kinderen",
]


@pytest.mark.parametrize(("message", "kind", "secret"), MASKED, ids=[m for m, _, _ in MASKED])
def test_contact_detail_is_masked(message, kind, secret):
    masked = mask(message)
    assert secret.lower() not in masked.text.lower(), masked
    assert PLACEHOLDERS[kind] in masked.text and kind in masked.kinds, masked


@pytest.mark.parametrize("message", KEPT)
def test_what_is_no_contact_detail_stays(message):
    masked = mask(message)
    assert (masked.text, masked.kinds) == (message, ())


def test_the_rest_of_the_message_stays_readable_for_rasa():
    masked = mask("Ik ben Roos de Vries, ik voel me eenzaam. Bel me op 06-87654321 of mail roos@example.org")
    assert masked.text == ("Ik ben [naam], ik voel me eenzaam. "
                           "Bel me op [telefoonnummer] of mail [e-mailadres]")
    assert masked.kinds == ("email", "telefoon", "naam")


def test_masking_twice_changes_nothing_more():
    once = mask("ik woon op de Molenweg 4, bel 0612345678, ik ben Fatima")
    twice = mask(once.text)
    assert twice.text == once.text


@pytest.mark.parametrize("typo", ["06-1234567", "0612345", "+31 6 1234"])
def test_too_short_numbers_are_no_phone_number(typo):
    assert "telefoon" not in mask(f"bel {typo}").kinds
