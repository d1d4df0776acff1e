"""Check catalogue documents and turn them into clean records; report every problem at once.

A clean activity record has every field of the file format (None or [] when absent),
codes instead of names, dates as ``datetime.date`` and times as "HH:MM".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sociale_kaart import fields, record_schema
from sociale_kaart.csv_format import column_for
from sociale_kaart.fields import FieldError
from sociale_kaart.models import JOIN_METHODS, STATUSES
from sociale_kaart.problems import Problem, line_of, with_suggestions
from sociale_kaart.readers import SourceDocument
from sociale_kaart.suggest import normalise_name, suggestions
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy
from sociale_kaart.texts import message, target_groups

FREQUENCIES = ("wekelijks", "maandelijks")
DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
TOP_KEYS = ("catalogus", "organisaties", "activiteiten")
# The keys of the file format, derived from the one record description (record_schema.yml).
CATALOGUE_KEYS = record_schema.top_keys("catalogus")
ORGANISATION_KEYS = record_schema.top_keys("organisatie")
ACTIVITY_KEYS = record_schema.top_keys("activiteit")
NESTED_KEYS = record_schema.nested_keys("activiteit")
# How a single value of each kind (record_schema.yml, soort) is read; a field's "max" goes to
# fields.text. Lists, codes and rules have their own checks below.
READERS = {
    "id": fields.identifier,
    "tekst": fields.text,
    "keuze": fields.text,
    "ja_nee": fields.boolean,
    "leeftijd": fields.age,
    "datum": fields.date,
    "email": fields.email,
    "url": fields.url,
    "postcode": fields.postcode,
    "telefoon": fields.phone,
    "bedrag": fields.amount_in_cents,
}


def _single_values(kind: str) -> dict[str, tuple]:
    """pad -> (reader, required, keyword arguments) of every single value of ``kind``."""
    result = {}
    for spec in record_schema.record_fields(kind):
        reader = READERS.get(spec.soort)
        if reader is None:
            continue
        options = {"max_length": spec.max} if spec.max is not None else {}
        result[spec.pad] = (reader, spec.verplicht, options)
    return result


SINGLE_VALUES = {kind: _single_values(kind) for kind in ("activiteit", "organisatie", "catalogus")}


@dataclass
class ValidSource:
    source: str
    file: str
    naam: str
    voorbeeldgegevens: bool
    has_header: bool = True
    organisations: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)


@dataclass
class Validation:
    problems: list[Problem]
    sources: list[ValidSource]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def organisation_count(self) -> int:
        return sum(len(s.organisations) for s in self.sources)

    @property
    def activity_count(self) -> int:
        return sum(len(s.activities) for s in self.sources)


class _Checker:
    """Checks one document; every problem goes to ``self.problems`` and checking goes on."""

    def __init__(self, document: SourceDocument, taxonomy: Taxonomy, seen: dict):
        self.document = document
        self.taxonomy = taxonomy
        self.seen = seen  # ("activiteit"|"organisatie", id) -> (file, line kind, line) of its first use
        self.problems: list[Problem] = []
        self._municipality_names = {normalise_name(m.naam): m for m in taxonomy.municipalities.values()}
        self._woonplaatsen = {
            normalise_name(w): m for m in taxonomy.municipalities.values() for w in m.woonplaatsen
        }
        self._regions = {normalise_name(r): r for r in taxonomy.regions}
        self._groups = {group: group for group in target_groups()}
        self._name_cache: dict = {}

    # -- reporting ---------------------------------------------------------
    def report(
        self, container, key, path: str | None, code: str, options: Iterable[str] = (), **values
    ) -> None:
        csv_file = self.document.line_kind == "rij"
        shown_field = column_for(path) if (path and csv_file) else path
        text = with_suggestions(message(f"fouten.{code}", **values), list(options))
        self.problems.append(
            Problem(
                self.document.file, line_of(container, key), shown_field, text, code, self.document.line_kind
            )
        )

    def value(self, container, key, base, reader, required=False, **kwargs):
        """Read ``container[key]`` with ``reader``; ``base`` is the path of the container (for messages)."""
        raw = container.get(key)
        if (
            raw is None
            or (not raw and isinstance(raw, (str, list, dict)))
            or (type(raw) is str and raw.isspace())
        ):
            if required:
                self.report(container, key, f"{base}.{key}", "veld_ontbreekt")
            return None
        try:
            return reader(raw, **kwargs)
        except FieldError as error:
            self.report(container, key, f"{base}.{key}", error.code, **error.values)
            return None

    def field(self, kind: str, pad: str, container, base):
        """The value of ``pad`` of a ``kind`` record (read, required and longest as record_schema.yml
        says) from ``container``, whose path is ``base``."""
        reader, required, options = SINGLE_VALUES[kind][pad]
        return self.value(container, pad.rsplit(".", 1)[-1], base, reader, required=required, **options)

    def mapping(self, container, key, path, allowed, required=False) -> dict | None:
        raw = container.get(key) if isinstance(container, dict) else None
        if raw is None or raw == {}:
            if required:
                self.report(container, key, path, "veld_ontbreekt")
            return None
        if not isinstance(raw, dict):
            self.report(container, key, path, "geen_blok", voorbeeld=", ".join(allowed[:3]))
            return None
        self.unknown_keys(raw, path, allowed)
        return raw

    def items(self, container, key, path, required=False) -> list:
        raw = container.get(key) if isinstance(container, dict) else None
        if raw is None or raw == "":
            if required:
                self.report(container, key, path, "veld_ontbreekt")
            return []
        if isinstance(raw, str):  # a single value is a list of one
            raw = [raw]
        if not isinstance(raw, list):
            self.report(container, key, path, "geen_lijst")
            return []
        if not raw and required:
            self.report(container, key, path, "lijst_leeg")
        return raw

    def unknown_keys(self, container: dict, path: str | None, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for key in container:
            if key not in allowed:
                key_path = f"{path}.{key}" if path else str(key)
                self.report(container, key, key_path, "veld_onbekend", suggestions(str(key), allowed))
        for key, first, _again in getattr(container, "duplicates", ()):
            self.report(container, key, f"{path}.{key}" if path else str(key), "veld_dubbel", eerder=first)

    def codes(self, container, key, path, known: dict, code: str, required=False) -> list[str]:
        result = []
        entries = self.items(container, key, path, required)
        for index, entry in enumerate(entries):
            where = (entries, index) if hasattr(entries, "lines") else (container, key)
            text = str(entry).strip() if entry is not None else ""
            if text in known:
                result.append(text)
                continue
            by_name = self._names_of(known)
            if normalise_name(text) in by_name:
                result.append(by_name[normalise_name(text)])
                continue
            self.report(*where, f"{path}[{index}]", code, suggestions(text, known), waarde=text)
        return list(dict.fromkeys(result))

    def _names_of(self, known: dict) -> dict[str, str]:
        """Codes by normalised code and label, so 'Contact & ontmoeten' is read as contact_ontmoeten."""
        cached = self._name_cache.get(id(known))
        if cached is None:
            cached = {normalise_name(c): c for c in known}
            cached.update({normalise_name(getattr(v, "label", c)): c for c, v in known.items()})
            self._name_cache[id(known)] = cached
        return cached

    def unique_id(self, container, kind: str, path: str) -> str | None:
        identifier = self.field(kind, "id", container, path)
        if identifier is None:
            return None
        first = self.seen.get((kind, identifier))
        if first is not None:
            file, line_kind, line = first
            elders = message(f"plaats.{line_kind}", bestand=file, regel=line or "?")
            self.report(container, "id", f"{path}.id", "id_dubbel", id=identifier, elders=elders)
            return None
        self.seen[(kind, identifier)] = (
            self.document.file,
            self.document.line_kind,
            line_of(container, "id"),
        )
        return identifier

    # -- the catalogue header and organisations -----------------------------
    def catalogue(self, data: dict) -> tuple[str, bool, bool]:
        """(naam, voorbeeldgegevens, whether the file has a catalogus header)."""
        header = self.mapping(data, "catalogus", "catalogus", CATALOGUE_KEYS) or {}
        naam = self.field("catalogus", "naam", header, "catalogus")
        example = self.field("catalogus", "voorbeeldgegevens", header, "catalogus")
        return naam or self.document.source, bool(example), bool(header)

    def organisation(self, raw, path: str) -> dict | None:
        self.unknown_keys(raw, path, ORGANISATION_KEYS)
        record = {
            "id": self.unique_id(raw, "organisatie", path),
            **{key: self.field("organisatie", key, raw, path) for key in ORGANISATION_KEYS[1:]},
        }
        return record if record["id"] and record["naam"] else None

    # -- activities ----------------------------------------------------------
    def activity(self, raw, path: str) -> dict | None:
        before = len(self.problems)
        self.unknown_keys(raw, path, ACTIVITY_KEYS)
        record = {
            "id": self.unique_id(raw, "activiteit", path),
            **{
                key: self.field("activiteit", key, raw, path)
                for key in ("organisatie", "naam", "beschrijving")
            },
            "categorieen": self.codes(
                raw,
                "categorieen",
                f"{path}.categorieen",
                self.taxonomy.categories,
                "categorie_onbekend",
                required=True,
            ),
            "themas": self.codes(
                raw, "themas", f"{path}.themas", self.taxonomy.themes, "thema_onbekend", required=True
            ),
            "aanbod_in": self.offered_in(raw, path),
            "locaties": self.locations(raw, path),
            "rooster": self.schedule(raw, path),
            "kosten": self.cost(raw, path),
            "doelgroep": self.target_group(raw, path),
            "toegankelijkheid": self.field("activiteit", "toegankelijkheid", raw, path),
            "talen": self.languages(raw, path),
            "aanmelden": self.joining(raw, path),
            "eerste_keer_begeleiding": bool(self.field("activiteit", "eerste_keer_begeleiding", raw, path)),
            "contact": self.contact(raw, path),
            "status": self.choice(raw, "status", path, STATUSES, "status_onbekend", required=True),
            "geldig_van": self.field("activiteit", "geldig_van", raw, path),
            "geldig_tot": self.field("activiteit", "geldig_tot", raw, path),
            "laatst_gecontroleerd": self.verified(raw, path),
        }
        if record["geldig_van"] and record["geldig_tot"] and record["geldig_tot"] < record["geldig_van"]:
            self.report(
                raw,
                "geldig_tot",
                f"{path}.geldig_tot",
                "datum_volgorde",
                van=record["geldig_van"].isoformat(),
                tot=record["geldig_tot"].isoformat(),
            )
        return record if len(self.problems) == before else None

    def choice(self, container, key, base, options, code, required=False) -> str | None:
        value = self.value(container, key, base, fields.text, required=required)
        if value is None:
            return None
        if value in options:
            return value
        self.report(
            container,
            key,
            f"{base}.{key}",
            code,
            suggestions(value, options),
            waarde=value,
            keuzes=", ".join(options),
        )
        return None

    def offered_in(self, raw, path) -> dict | None:
        path = f"{path}.aanbod_in"
        block = self.mapping(raw, "aanbod_in", path, NESTED_KEYS["aanbod_in"], required=True)
        if block is None:
            return None
        chosen = [key for key in NESTED_KEYS["aanbod_in"] if block.get(key) not in (None, "", [], False)]
        if len(chosen) != 1:
            self.report(raw, "aanbod_in", path, "aanbod_in_keuze")
            return None
        if chosen[0] == "online":
            return {"online": True} if self.field("activiteit", "aanbod_in.online", block, path) else None
        if chosen[0] == "regio":
            name = self.field("activiteit", "aanbod_in.regio", block, path)
            region = self._regions.get(normalise_name(name or ""))
            if region is None and name is not None:
                self.report(
                    block,
                    "regio",
                    f"{path}.regio",
                    "regio_onbekend",
                    suggestions(name, self.taxonomy.regions),
                    waarde=name,
                    regios=", ".join(self.taxonomy.regions),
                )
            return {"regio": region} if region else None
        codes = []
        entries = self.items(block, "gemeenten", f"{path}.gemeenten", required=True)
        for index, entry in enumerate(entries):
            code = self.municipality_code(
                entries if hasattr(entries, "lines") else block,
                index if hasattr(entries, "lines") else "gemeenten",
                f"{path}.gemeenten[{index}]",
                entry,
            )
            if code:
                codes.append(code)
        return {"gemeenten": list(dict.fromkeys(codes))} if codes else None

    def municipality_code(self, container, key, path, entry) -> str | None:
        text = str(entry).strip()
        if text.upper() in self.taxonomy.municipalities:
            return text.upper()
        found = self._municipality_names.get(normalise_name(text))
        if found:
            return found.code
        town = self._woonplaatsen.get(normalise_name(text))
        if town:
            self.report(
                container,
                key,
                path,
                "gemeente_is_woonplaats",
                waarde=text,
                gemeente=town.naam,
                gemeentecode=town.code,
            )
            return None
        names = [m.naam for m in self.taxonomy.municipalities.values()]
        self.report(container, key, path, "gemeente_onbekend", suggestions(text, names), waarde=text)
        return None

    def locations(self, raw, path) -> list[dict]:
        result = []
        for index, entry in enumerate(self.items(raw, "locaties", f"{path}.locaties")):
            where = f"{path}.locaties[{index}]"
            if not isinstance(entry, dict):
                self.report(raw, "locaties", where, "geen_blok", voorbeeld="naam, straat, postcode")
                continue
            self.unknown_keys(entry, where, NESTED_KEYS["locaties"])
            location = {
                key: self.field("activiteit", f"locaties[].{key}", entry, where)
                for key in NESTED_KEYS["locaties"]
            }
            address = [entry.get(key) for key in ("straat", "postcode", "woonplaats")]
            if (any(address) and not all(address)) or not any(entry.get(k) for k in NESTED_KEYS["locaties"]):
                self.report(entry, None, where, "locatie_onvolledig")
            result.append(location)
        return result

    def schedule(self, raw, path) -> dict:
        path = f"{path}.rooster"
        block = self.mapping(raw, "rooster", path, NESTED_KEYS["rooster"]) or {}
        rules = []
        for index, entry in enumerate(self.items(block, "regels", f"{path}.regels")):
            where = f"{path}.regels[{index}]"
            if not isinstance(entry, dict):
                self.report(block, "regels", where, "roosterregel_ongeldig", waarde=entry)
                continue
            self.unknown_keys(entry, where, NESTED_KEYS["regels"])
            freq = self.choice(entry, "freq", where, FREQUENCIES, "freq_onbekend", required=True)
            day = self.choice(entry, "dag", where, DAYS, "dag_onbekend", required=True)
            week = None
            if freq == "maandelijks" or entry.get("week") is not None:
                week = self.value(entry, "week", where, fields.integer, required=freq == "maandelijks")
                if week is not None and week not in (1, 2, 3, 4, -1):
                    self.report(entry, "week", f"{where}.week", "week_ongeldig")
            start = self.value(entry, "van", where, fields.clock_time)
            end = self.value(entry, "tot", where, fields.clock_time)
            if start and end and end <= start:
                self.report(entry, "tot", f"{where}.tot", "tijd_volgorde", van=start, tot=end)
            rules.append({"freq": freq, "dag": day, "week": week, "van": start, "tot": end})
        return {
            "omschrijving": self.field("activiteit", "rooster.omschrijving", block, path),
            "regels": rules,
        }

    def cost(self, raw, path) -> dict | None:
        path = f"{path}.kosten"
        block = self.mapping(raw, "kosten", path, NESTED_KEYS["kosten"], required=True)
        if block is None:
            return None
        free = self.field("activiteit", "kosten.gratis", block, path)
        cents = self.field("activiteit", "kosten.bedrag", block, path)
        text = self.field("activiteit", "kosten.omschrijving", block, path)
        if not free and not text and block.get("bedrag") in (None, ""):
            self.report(raw, "kosten", path, "kosten_leeg")
        if free and cents:
            self.report(block, "bedrag", f"{path}.bedrag", "kosten_tegenstrijdig")
        return {
            "gratis": bool(free),
            "bedrag": cents / 100 if cents is not None else None,
            "per": self.field("activiteit", "kosten.per", block, path),
            "omschrijving": text,
        }

    def target_group(self, raw, path) -> dict:
        path = f"{path}.doelgroep"
        block = self.mapping(raw, "doelgroep", path, NESTED_KEYS["doelgroep"]) or {}
        low = self.field("activiteit", "doelgroep.leeftijd_min", block, path)
        high = self.field("activiteit", "doelgroep.leeftijd_max", block, path)
        if low is not None and high is not None and low > high:
            self.report(block, "leeftijd_max", f"{path}.leeftijd_max", "leeftijd_volgorde", min=low, max=high)
        groups = self.codes(block, "groepen", f"{path}.groepen", self._groups, "groep_onbekend")
        return {"leeftijd_min": low, "leeftijd_max": high, "groepen": groups}

    def languages(self, raw, path) -> list[str]:
        result = []
        entries = self.items(raw, "talen", f"{path}.talen")
        for index, entry in enumerate(entries):
            try:
                result.append(fields.language(entry))
            except FieldError as error:
                holder, key = (entries, index) if hasattr(entries, "lines") else (raw, "talen")
                self.report(holder, key, f"{path}.talen[{index}]", error.code, **error.values)
        return list(dict.fromkeys(result))

    def joining(self, raw, path) -> dict | None:
        path = f"{path}.aanmelden"
        block = self.mapping(raw, "aanmelden", path, NESTED_KEYS["aanmelden"], required=True)
        if block is None:
            return None
        return {
            "wijze": self.choice(block, "wijze", path, JOIN_METHODS, "wijze_onbekend", required=True),
            "indicatie_nodig": bool(self.field("activiteit", "aanmelden.indicatie_nodig", block, path)),
        }

    def contact(self, raw, path) -> dict | None:
        path = f"{path}.contact"
        block = self.mapping(raw, "contact", path, NESTED_KEYS["contact"])
        block = block or {}
        result = {
            key: self.field("activiteit", f"contact.{key}", block, path) for key in NESTED_KEYS["contact"]
        }
        if not any(block.get(key) for key in result):
            self.report(raw, "contact", path, "contact_ontbreekt")
        return result

    def verified(self, raw, path) -> dict:
        path = f"{path}.laatst_gecontroleerd"
        block = self.mapping(raw, "laatst_gecontroleerd", path, NESTED_KEYS["laatst_gecontroleerd"]) or {}
        return {
            "datum": self.field("activiteit", "laatst_gecontroleerd.datum", block, path),
            "door": self.field("activiteit", "laatst_gecontroleerd.door", block, path),
        }

    # -- the whole document ---------------------------------------------------
    def document_records(self) -> ValidSource:
        data = self.document.data
        self.unknown_keys(data, None, TOP_KEYS)
        naam, example, explicit = self.catalogue(data)
        result = ValidSource(self.document.source, self.document.file, naam, example, explicit)
        for kind, check, example, target in (
            ("organisaties", self.organisation, "id, naam", result.organisations),
            ("activiteiten", self.activity, "id, naam, categorieen", result.activities),
        ):
            entries = self.items(data, kind, kind)
            for index, raw in enumerate(entries):
                if not isinstance(raw, dict):
                    holder, key = (entries, index) if hasattr(entries, "lines") else (data, kind)
                    self.report(holder, key, f"{kind}[{index}]", "geen_blok", voorbeeld=example)
                    continue
                record = check(raw, f"{kind}[{index}]")
                if record:
                    target.append(record)
        return result


def validate_documents(
    documents: Iterable[SourceDocument],
    known_organisation_ids: Iterable[str] = (),
    taxonomy: Taxonomy | None = None,
) -> Validation:
    """Check every document; organisations may come from any of them or from ``known_organisation_ids``."""
    taxonomy = taxonomy or load_taxonomy()
    seen: dict = {}
    problems: list[Problem] = []
    sources: list[ValidSource] = []
    checkers = []
    for document in documents:
        problems.extend(document.problems)
        checker = _Checker(document, taxonomy, seen)
        sources.append(checker.document_records())
        checkers.append(checker)
    headers = [s for s in sources if s.has_header]
    for source in sources:
        if not source.has_header and headers:  # e.g. activiteiten.csv next to catalogus.csv
            source.naam, source.voorbeeldgegevens = headers[0].naam, headers[0].voorbeeldgegevens
    organisation_ids = set(known_organisation_ids) | {o["id"] for s in sources for o in s.organisations}
    for checker, source in zip(checkers, sources, strict=True):
        for index, raw in enumerate(_activity_entries(checker.document.data)):
            reference = raw.get("organisatie") if isinstance(raw, dict) else None
            if reference and str(reference).strip() not in organisation_ids:
                checker.report(
                    raw,
                    "organisatie",
                    f"activiteiten[{index}].organisatie",
                    "organisatie_onbekend",
                    suggestions(str(reference), organisation_ids),
                    id=reference,
                )
        source.activities = [a for a in source.activities if a["organisatie"] in organisation_ids]
        problems.extend(checker.problems)
    return Validation(problems, sources)


def _activity_entries(data) -> list:
    entries = data.get("activiteiten") if isinstance(data, dict) else None
    return entries if isinstance(entries, list) else []
