"""The activity form of /redactie, derived from the one record description
(sociale_kaart/record_schema.yml): which inputs, their Dutch labels, and how a posted
form becomes a record in the file format. Checking it is the import's validation
(sociale_kaart.editorial.validate_record), so the form shows the import's messages."""

from __future__ import annotations

import re
from types import SimpleNamespace

from sqlalchemy import select

from sociale_kaart import models
from sociale_kaart.activity_view import schedule_line
from sociale_kaart.record_schema import record_fields
from sociale_kaart.taxonomy import load_taxonomy
from sociale_kaart.texts import target_groups

EXTRA_ROWS = 1  # empty rows for one more location / schedule rule
MAX_ROWS = 20
LONG_SENTENCE = 15  # words: longer is hard to read for B1
RULE_PARTS = ("freq", "dag", "week", "van", "tot")


def fields():
    """The fields of one activity, in file order (id included)."""
    return record_fields("activiteit")


def scalar_fields():
    return [f for f in fields() if "[]" not in f.pad and f.soort != "regels"]


def location_fields():
    return [f for f in fields() if f.pad.startswith("locaties[].")]


def options(connection) -> dict[str, list[tuple[str, str]]]:
    """(code, label) per vocabulary named in the record description (lijst)."""
    taxonomy = load_taxonomy()
    municipality = models.Municipality.__table__
    organisation = models.Organisation.__table__
    return {
        "categorieen": [(code, c.label) for code, c in taxonomy.categories.items()],
        "themas": [(code, t.label) for code, t in taxonomy.themes.items()],
        "gemeenten": [
            (row.code, row.naam)
            for row in connection.execute(select(municipality.c.code, municipality.c.naam).order_by(municipality.c.naam))
        ],
        "regios": [(name, name) for name in taxonomy.regions],
        "doelgroepen": list(target_groups().items()),
        "statussen": [(s, s.replace("_", " ")) for s in models.STATUSES],
        "aanmeldwijzen": [(s, s.replace("_", " ")) for s in models.JOIN_METHODS],
        "organisaties": [
            (row.id, row.naam)
            for row in connection.execute(select(organisation.c.id, organisation.c.naam).order_by(organisation.c.naam))
        ],
    }


def get(record: dict, pad: str):
    node = record
    for part in pad.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _put(record: dict, pad: str, value) -> None:
    parts = pad.split(".")
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _text(form, name: str) -> str | None:
    value = form.get(name)
    value = value.strip() if isinstance(value, str) else ""
    return value or None


def parse(form) -> dict:
    """A posted form -> one activity in the file format (empty inputs left out)."""
    raw: dict = {}
    for f in scalar_fields():
        if f.invoer == "ja_nee":
            value = form.get(f.pad) == "ja"
        elif f.soort in ("codes", "taal"):
            if f.lijst:
                value = [v for v in form.getlist(f.pad) if isinstance(v, str) and v]
            else:
                value = [v.strip() for v in re.split(r"[,;]", form.get(f.pad) or "") if v.strip()]
        else:
            value = _text(form, f.pad)
        _put(raw, f.pad, value)
    offered = raw.get("aanbod_in") or {}
    raw["aanbod_in"] = {k: v for k, v in offered.items() if v not in (None, "", [], False)}
    raw["locaties"] = []
    for i in range(MAX_ROWS):
        entry = {f.pad.rsplit(".", 1)[1]: _text(form, f"locaties.{i}.{f.pad.rsplit('.', 1)[1]}")
                 for f in location_fields()}
        if any(entry.values()):
            raw["locaties"].append({k: v for k, v in entry.items() if v})
    rules = []
    for i in range(MAX_ROWS):
        entry = {part: _text(form, f"rooster.regels.{i}.{part}") for part in RULE_PARTS}
        if any(entry.values()):
            rules.append({k: v for k, v in entry.items() if v})
    raw.setdefault("rooster", {})["regels"] = rules
    return raw


def rows(record: dict, key: str) -> list[dict]:
    """The repeated rows of a form (locations, schedule rules) plus empty ones."""
    items = list((get(record, key) or []))[:MAX_ROWS]
    return items + [{}] * EXTRA_ROWS


def field_errors(problems) -> dict[str, list[str]]:
    """Problem texts per form input name ('kosten.bedrag', 'locaties.0.postcode'); '' = general."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        name = re.sub(r"^activiteiten\[\d+\]\.?", "", problem.field or "")
        name = re.sub(r"\[(\d+)\]", r".\1", name)
        name = re.sub(r"^aanbod_in\.gemeenten\.\d+$", "aanbod_in.gemeenten", name)
        errors.setdefault(name, []).append(problem.text[:1].upper() + problem.text[1:])
    return errors


def sentence_hint(text: str | None) -> dict:
    """Sentence lengths for the B1 hint: number of sentences, average and longest (words)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", (text or "").strip()) if s.strip()]
    lengths = [len(s.split()) for s in sentences]
    return {
        "zinnen": len(lengths),
        "gemiddeld": round(sum(lengths) / len(lengths)) if lengths else 0,
        "langste": max(lengths) if lengths else 0,
        "te_lang": sum(1 for n in lengths if n > LONG_SENTENCE),
        "grens": LONG_SENTENCE,
    }


def schedule_text(record: dict) -> str:
    """The human-readable schedule line residents see, generated from the rules."""
    rules = [SimpleNamespace(**{p: rule.get(p) for p in RULE_PARTS}) for rule in (get(record, "rooster.regels") or [])
             if isinstance(rule, dict)]
    return schedule_line(SimpleNamespace(rooster_omschrijving=None, schedule_rules=rules))
