"""The taxonomy crosswalk: how others' HSDS taxonomy terms and place names map to our vocabularies.

The crosswalk is a YAML file that editors edit (default: sociale_kaart/crosswalk.yml; its
comments explain the format). ``load_crosswalk`` checks every code against our vocabularies
and raises CrosswalkError with Dutch messages when something is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from sociale_kaart.models import JOIN_METHODS, STATUSES
from sociale_kaart.suggest import normalise_name as _normalise_name
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy
from sociale_kaart.texts import message, target_groups

# An import compares the same few names (taxonomies, terms, places) for every service.
_normalised = lru_cache(maxsize=65536)(_normalise_name)


def normalise_name(text) -> str:
    """suggest.normalise_name, remembered."""
    return _normalised(str(text))


DEFAULT_CROSSWALK = Path(__file__).resolve().parent / "crosswalk.yml"
_TERM_KEYS = ("taxonomie", "code", "naam", "categorieen", "themas", "doelgroepen")


class CrosswalkError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TermRule:
    taxonomie: str | None
    code: str | None
    naam: str | None
    categorieen: tuple[str, ...] = ()
    themas: tuple[str, ...] = ()
    doelgroepen: tuple[str, ...] = ()

    def matches(self, term: dict, taxonomy_names: set[str]) -> bool:
        if self.taxonomie and normalise_name(self.taxonomie) not in taxonomy_names:
            return False
        if self.code is not None and normalise_name(self.code) == normalise_name(term.get("code") or ""):
            return True
        return self.naam is not None and normalise_name(self.naam) == normalise_name(term.get("name") or "")


@dataclass
class Crosswalk:
    path: str
    rules: list[TermRule] = field(default_factory=list)
    places: dict[str, dict] = field(default_factory=dict)  # normalised name -> aanbod_in block
    defaults: dict = field(default_factory=dict)

    def rule_for(self, term: dict, taxonomy_names: set[str]) -> TermRule | None:
        return next((rule for rule in self.rules if rule.matches(term, taxonomy_names)), None)

    def place(self, name: str) -> dict | None:
        return self.places.get(normalise_name(name))


def resolve_place(text: str, taxonomy: Taxonomy) -> dict | None:
    """Our own names: a CBS code, gemeente, woonplaats or regio name, or 'online' -> an aanbod_in block."""
    wanted = normalise_name(text)
    if not wanted:
        return None
    if wanted == "online":
        return {"online": True}
    if str(text).strip().upper() in taxonomy.municipalities:
        return {"gemeenten": [str(text).strip().upper()]}
    found = _place_index(taxonomy).get(wanted)
    if found is None:
        return None
    kind, value = found
    return {"gemeenten": [value]} if kind == "gemeenten" else {"regio": value}


# Per taxonomy: normalised name -> ("gemeenten", code) or ("regio", name). A gemeente's name
# goes before a regio's, and both before a woonplaats (as resolve_place has always looked).
_PLACE_INDEXES: dict[int, tuple[Taxonomy, dict[str, tuple[str, str]]]] = {}


def _place_index(taxonomy: Taxonomy) -> dict[str, tuple[str, str]]:
    known = _PLACE_INDEXES.get(id(taxonomy))
    if known is not None and known[0] is taxonomy:
        return known[1]
    index: dict[str, tuple[str, str]] = {}
    for municipality in taxonomy.municipalities.values():
        index.setdefault(normalise_name(municipality.naam), ("gemeenten", municipality.code))
    for region in taxonomy.regions:
        index.setdefault(normalise_name(region), ("regio", region))
    for municipality in taxonomy.municipalities.values():
        for place in municipality.woonplaatsen:
            index.setdefault(normalise_name(place), ("gemeenten", municipality.code))
    index.pop("", None)
    if len(_PLACE_INDEXES) >= 8:  # tests load a few taxonomies; keep only recent ones
        _PLACE_INDEXES.clear()
    _PLACE_INDEXES[id(taxonomy)] = (taxonomy, index)
    return index


def _codes(raw, known, kind: str, where: str, problems: list[str]) -> tuple[str, ...]:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    for value in values:
        if value not in known:
            problems.append(message("crosswalk.code_onbekend", plaats=where, code=value, soort=kind))
    return tuple(v for v in values if v in known)


def _offered(raw, where: str, taxonomy: Taxonomy, problems: list[str]) -> dict | None:
    if isinstance(raw, str):
        found = resolve_place(raw, taxonomy)
        if found is None:
            problems.append(message("crosswalk.plaats_onbekend", plaats=where, waarde=raw))
        return found
    if isinstance(raw, dict):
        if raw.get("online") is True:
            return {"online": True}
        if raw.get("regio"):
            found = resolve_place(str(raw["regio"]), taxonomy)
            if found and "regio" in found:
                return found
        if raw.get("gemeenten"):
            codes = []
            for name in raw["gemeenten"]:
                found = resolve_place(str(name), taxonomy)
                if found and "gemeenten" in found:
                    codes += found["gemeenten"]
                else:
                    problems.append(message("crosswalk.plaats_onbekend", plaats=where, waarde=name))
            return {"gemeenten": codes} if codes else None
    problems.append(message("crosswalk.plaats_onbekend", plaats=where, waarde=raw))
    return None


def load_crosswalk(path: str | Path | None = None, taxonomy: Taxonomy | None = None) -> Crosswalk:
    path = Path(path or DEFAULT_CROSSWALK)
    taxonomy = taxonomy or load_taxonomy()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        raise CrosswalkError([message("crosswalk.niet_gevonden", bestand=path)]) from None
    except yaml.YAMLError as error:
        raise CrosswalkError([message("crosswalk.onleesbaar", bestand=path, detail=error)]) from None
    if not isinstance(data, dict):
        raise CrosswalkError([message("crosswalk.onleesbaar", bestand=path, detail="geen blok")])
    problems: list[str] = []
    for key in data:
        if key not in ("standaard", "termen", "plaatsen"):
            problems.append(message("crosswalk.sleutel_onbekend", sleutel=key))
    crosswalk = Crosswalk(str(path))
    for index, entry in enumerate(data.get("termen") or [], start=1):
        where = message("crosswalk.term_plaats", nummer=index)
        if not isinstance(entry, dict) or not (entry.get("code") or entry.get("naam")):
            problems.append(message("crosswalk.term_leeg", plaats=where))
            continue
        for key in entry:
            if key not in _TERM_KEYS:
                problems.append(message("crosswalk.sleutel_onbekend", sleutel=f"{where}: {key}"))
        crosswalk.rules.append(
            TermRule(
                taxonomie=str(entry["taxonomie"]) if entry.get("taxonomie") not in (None, "*") else None,
                code=str(entry["code"]) if entry.get("code") is not None else None,
                naam=str(entry["naam"]) if entry.get("naam") is not None else None,
                categorieen=_codes(
                    entry.get("categorieen"), taxonomy.categories, "categorie", where, problems
                ),
                themas=_codes(entry.get("themas"), taxonomy.themes, "thema", where, problems),
                doelgroepen=_codes(entry.get("doelgroepen"), target_groups(), "doelgroep", where, problems),
            )
        )
    for name, target in (data.get("plaatsen") or {}).items():
        found = _offered(target, str(name), taxonomy, problems)
        if found:
            crosswalk.places[normalise_name(str(name))] = found
    defaults = data.get("standaard") or {}
    if defaults.get("aanmelden_wijze") is not None:
        if defaults["aanmelden_wijze"] in JOIN_METHODS:
            crosswalk.defaults["aanmelden_wijze"] = defaults["aanmelden_wijze"]
        else:
            problems.append(
                message(
                    "crosswalk.code_onbekend",
                    plaats="standaard",
                    code=defaults["aanmelden_wijze"],
                    soort="aanmelden_wijze",
                )
            )
    if defaults.get("status") is not None:
        if defaults["status"] in STATUSES:
            crosswalk.defaults["status"] = defaults["status"]
        else:
            problems.append(
                message(
                    "crosswalk.code_onbekend", plaats="standaard", code=defaults["status"], soort="status"
                )
            )
    for key, known, kind in (
        ("categorieen", taxonomy.categories, "categorie"),
        ("themas", taxonomy.themes, "thema"),
    ):
        if defaults.get(key):
            crosswalk.defaults[key] = list(_codes(defaults[key], known, kind, "standaard", problems))
    if defaults.get("aanbod_in"):
        found = _offered(defaults["aanbod_in"], "standaard.aanbod_in", taxonomy, problems)
        if found:
            crosswalk.defaults["aanbod_in"] = found
    if problems:
        raise CrosswalkError(problems)
    return crosswalk
