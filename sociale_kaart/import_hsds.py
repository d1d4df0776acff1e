"""Read HSDS 3.0 data of others (and our own export) into the file format, then the normal import.

Shapes read (docs/hsds.md): our bulk export ``{organizations, services, ...}``; one service
with its organization; one organization with its services; one service_at_location with
its service and location; the API's paged lists (``contents``); and the tabular form (a
folder with a datapackage.json and CSV files, or the datapackage.json itself).

Each service is mapped on its own. What cannot be mapped is reported per field with a Dutch
reason (``problems``, the record is not imported); what is left out but does not stop the
record is a warning. Taxonomy terms and place names of others map through the crosswalk.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from sociale_kaart import fields
from sociale_kaart.crosswalk import Crosswalk, load_crosswalk, resolve_place
from sociale_kaart.export_hsds import DAY, FREQ, ID_SCHEME, SLUG_ATTRIBUTE, STATUS, TAXONOMIES
from sociale_kaart.fields import FieldError
from sociale_kaart.problems import LineDict, Problem
from sociale_kaart.readers import SourceDocument
from sociale_kaart.record_schema import record_fields
from sociale_kaart.suggest import normalise_name
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy
from sociale_kaart.texts import message, target_groups

_STATUS_BACK = {hsds: ours for ours, hsds in STATUS.items()} | {"inactive": "tijdelijk_gesloten"}
_FREQ_BACK = {hsds: ours for ours, hsds in FREQ.items()}
_DAY_BACK = {hsds: ours for ours, hsds in DAY.items()}
_KIND_OF_TAXONOMY = {name: kind for kind, name in TAXONOMIES.items()}
_BYDAY = re.compile(r"^(?P<week>[+-]?\d)?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_HSDS_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_NL = {"", "nl", "nld", "nederland", "netherlands", "the netherlands"}
# Schedule parts we cannot keep (we have weekly/monthly rules on days with times).
# Attribute fields read with a fallback of their own (the crosswalk default, the schedule text).
_ATTRIBUTES_WITH_FALLBACK = ("aanmelden.wijze", "rooster.omschrijving")
_SCHEDULE_PARTS = ("byweekno", "bymonthday", "byyearday", "count", "until")
MAX_FILE_BYTES = 50 * 1024 * 1024


class HsdsReadError(Exception):
    def __init__(self, code: str, **values):
        super().__init__(code)
        self.text = message(f"hsds_import.{code}", **values)


@dataclass
class HsdsData:
    """Others' data, collected: services (nested as in service_full.json) and what they refer to."""

    services: dict[str, dict] = field(default_factory=dict)
    organizations: dict[str, dict] = field(default_factory=dict)
    terms: dict[str, dict] = field(default_factory=dict)
    taxonomies: dict[str, dict] = field(default_factory=dict)
    catalogus: dict | None = None


@dataclass
class MappedService:
    hsds_id: str
    naam: str
    activity: dict
    organisation: dict | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (our field, Dutch reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.problems


# -- reading -------------------------------------------------------------------


def is_hsds(data) -> bool:
    if isinstance(data, list):
        return bool(data) and all(isinstance(item, dict) for item in data)
    if not isinstance(data, dict):
        return False
    if "services" in data or "organizations" in data or isinstance(data.get("contents"), list):
        return True
    return "id" in data and ("name" in data or "service" in data or "location" in data)


def read_hsds(path: str | Path) -> HsdsData:
    """A JSON file, a datapackage.json, or a folder with the tabular CSV files."""
    path = Path(path)
    if path.is_dir() or path.name == "datapackage.json":
        return collect_tabular(path if path.is_dir() else path.parent)
    if not path.is_file():
        raise HsdsReadError("niet_gevonden", pad=path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise HsdsReadError("te_groot", pad=path, max=MAX_FILE_BYTES // (1024 * 1024))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise HsdsReadError("geen_utf8", pad=path) from None
    except json.JSONDecodeError as error:
        raise HsdsReadError(
            "json_onleesbaar", pad=path, detail=f"regel {error.lineno}: {error.msg}"
        ) from None
    except RecursionError:
        raise HsdsReadError("te_diep", pad=path) from None
    if not is_hsds(data):
        raise HsdsReadError("geen_hsds", pad=path)
    return collect(data)


def collect(data) -> HsdsData:
    """Any of the JSON shapes of HSDS 3.0 into one HsdsData."""
    result = HsdsData()
    if isinstance(data, list):
        items = data
    elif isinstance(data.get("contents"), list):
        items = data["contents"]
    elif ("services" in data or "organizations" in data) and "id" not in data:
        items = [*(data.get("organizations") or []), *(data.get("services") or [])]
        for term in data.get("taxonomy_terms") or []:
            if isinstance(term, dict) and term.get("id"):
                result.terms[str(term["id"])] = term
        for taxonomy in data.get("taxonomies") or []:
            if isinstance(taxonomy, dict) and taxonomy.get("id"):
                result.taxonomies[str(taxonomy["id"])] = taxonomy
        if isinstance(data.get("catalogus"), dict):
            result.catalogus = data["catalogus"]
    else:
        items = [data]
    for item in items:
        if isinstance(item, dict):
            _add_item(result, item)
    return result


def _add_item(result: HsdsData, item: dict) -> None:
    if "location" in item or ("service" in item and "status" not in item):
        service = dict(item.get("service") or {})
        link = {key: value for key, value in item.items() if key != "service"}
        service["service_at_locations"] = [*(service.get("service_at_locations") or []), link]
        if service.get("id"):
            _add_service(result, service)
    elif "status" in item:
        _add_service(result, dict(item))
    elif item.get("id"):
        organization = {key: value for key, value in item.items() if key != "services"}
        result.organizations[str(item["id"])] = organization
        for service in item.get("services") or []:
            if isinstance(service, dict) and service.get("id"):
                _add_service(
                    result, {**service, "organization_id": service.get("organization_id") or item["id"]}
                )


def _add_service(result: HsdsData, service: dict) -> None:
    organization = service.get("organization")
    if isinstance(organization, dict) and organization.get("id"):
        result.organizations.setdefault(str(organization["id"]), organization)
        service.setdefault("organization_id", organization["id"])
    key = str(service["id"])
    known = result.services.get(key)
    if known is None:
        result.services[key] = service
        return
    # The same service again (e.g. one service_at_location per row of a list): merge.
    for name, value in service.items():
        if name == "service_at_locations":
            seen = {link.get("id") for link in known.get(name) or []}
            known[name] = [*(known.get(name) or []), *[v for v in value or [] if v.get("id") not in seen]]
        elif known.get(name) in (None, "", []):
            known[name] = value


def _read_csv(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    if path.stat().st_size > MAX_FILE_BYTES:
        raise HsdsReadError("te_groot", pad=path, max=MAX_FILE_BYTES // (1024 * 1024))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise HsdsReadError("geen_utf8", pad=path) from None
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as error:
        raise HsdsReadError("csv_onleesbaar", pad=path, detail=error) from None
    return [{k: (v if v != "" else None) for k, v in row.items() if k is not None} for row in rows]


def collect_tabular(folder: Path) -> HsdsData:
    """The tabular form: one CSV per table, as named in datapackage.json (or the standard names)."""
    paths = {}
    package = folder / "datapackage.json"
    if package.is_file():
        try:
            for resource in json.loads(package.read_text(encoding="utf-8")).get("resources") or []:
                paths[resource.get("name")] = folder / resource.get("path", "")
        except (json.JSONDecodeError, AttributeError, TypeError):
            raise HsdsReadError("datapackage_onleesbaar", pad=package) from None

    def table(name: str, standard: str) -> list[dict]:
        return _read_csv(paths.get(name) or folder / standard)

    services = table("service", "services.csv")
    if not services:
        raise HsdsReadError("geen_diensten", pad=folder)

    def by(rows: list[dict], key: str) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for row in rows:
            grouped.setdefault(row.get(key) or "", []).append(row)
        return grouped

    result = HsdsData()
    result.taxonomies = {row["id"]: row for row in table("taxonomy", "taxonomies.csv") if row.get("id")}
    result.terms = {row["id"]: row for row in table("taxonomy_term", "taxonomy_terms.csv") if row.get("id")}
    attributes = by(table("attribute", "attributes.csv"), "link_id")
    addresses = by(table("address", "addresses.csv"), "location_id")
    locations = {row["id"]: row for row in table("location", "locations.csv") if row.get("id")}
    schedules = table("schedule", "schedules.csv")
    per_service = {
        "phones": by(table("phone", "phones.csv"), "service_id"),
        "schedules": by(schedules, "service_id"),
        "service_areas": by(table("service_area", "service_areas.csv"), "service_id"),
        "languages": by(table("language", "languages.csv"), "service_id"),
        "cost_options": by(table("cost_option", "cost_options.csv"), "service_id"),
    }
    links = by(table("service_at_location", "service_at_location.csv"), "service_id")
    identifiers = by(table("organization_identifier", "organization_identifiers.csv"), "organization_id")
    for row in table("organization", "organizations.csv"):
        if row.get("id"):
            result.organizations[row["id"]] = {
                **row,
                "organization_identifiers": identifiers.get(row["id"], []),
            }
    for row in services:
        if not row.get("id"):
            continue
        service = {**row, **{name: grouped.get(row["id"], []) for name, grouped in per_service.items()}}
        service["attributes"] = attributes.get(row["id"], [])
        service["service_at_locations"] = []
        for link in links.get(row["id"], []):
            location = locations.get(link.get("location_id") or "")
            if location is not None:
                location = {**location, "addresses": addresses.get(location["id"], [])}
            service["service_at_locations"].append({**link, "location": location})
        result.services[row["id"]] = service
    return result


# -- mapping -------------------------------------------------------------------


class _Mapping:
    """Maps one service; problems and warnings go to ``self.out``."""

    def __init__(self, service: dict, data: HsdsData, crosswalk: Crosswalk, taxonomy: Taxonomy):
        self.service, self.data, self.crosswalk, self.taxonomy = service, data, crosswalk, taxonomy
        self.problems: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def problem(self, where: str, code: str, **values) -> None:
        self.problems.append((where, message(f"hsds_import.{code}", **values)))

    def warn(self, where: str, code: str, **values) -> None:
        self.warnings.append((where, message(f"hsds_import.{code}", **values)))

    def optional(self, where: str, value, reader):
        """A value that we keep only when it passes our check (others' data: left out, with a warning)."""
        if value in (None, ""):
            return None
        try:
            return reader(value)
        except FieldError as error:
            reason = message(f"fouten.{error.code}", **error.values)
            self.warn(where, "weggelaten", waarde=value, reden=reason)
            return None

    # -- parts --
    def values(self) -> dict:
        return {
            a.get("link_type"): a.get("value")
            for a in self.service.get("attributes") or []
            if isinstance(a, dict) and a.get("value") is not None and not self._term_of(a)
        }

    def _term_of(self, attribute: dict) -> dict | None:
        term = attribute.get("taxonomy_term")
        if isinstance(term, dict):
            return term
        return self.data.terms.get(str(attribute.get("taxonomy_term_id") or "")) or None

    def _taxonomy_names(self, term: dict) -> set[str]:
        names = {term.get("taxonomy"), term.get("taxonomy_id")}
        for detail in (term.get("taxonomy_detail"), self.data.taxonomies.get(str(term.get("taxonomy_id")))):
            if isinstance(detail, dict):
                names |= {detail.get("name"), detail.get("id"), detail.get("uri")}
        return {normalise_name(str(n)) for n in names if n}

    def terms(self) -> dict[str, list[str]]:
        found = {"categorie": [], "thema": [], "doelgroep": []}
        terms = [
            t
            for t in (self._term_of(a) for a in self.service.get("attributes") or [] if isinstance(a, dict))
            if t
        ]
        unknown = []
        for term in terms:
            kind = _KIND_OF_TAXONOMY.get(str(term.get("taxonomy") or ""))
            known = {
                "categorie": self.taxonomy.categories,
                "thema": self.taxonomy.themes,
                "doelgroep": target_groups(),
            }
            if kind and term.get("code") in known[kind]:
                found[kind].append(term["code"])
                continue
            rule = self.crosswalk.rule_for(term, self._taxonomy_names(term))
            if rule is None:
                unknown.append(term)
                continue
            found["categorie"] += rule.categorieen
            found["thema"] += rule.themas
            found["doelgroep"] += rule.doelgroepen
        shown = ", ".join(
            message(
                "hsds_import.term",
                code=t.get("code") or "-",
                naam=t.get("name") or "-",
                taxonomie=t.get("taxonomy") or "-",
            )
            for t in unknown
        )
        if not terms:
            for key, kind in (("categorieen", "categorie"), ("themas", "thema")):
                if self.crosswalk.defaults.get(key):
                    found[kind] = list(self.crosswalk.defaults[key])
                    self.warn(key, "standaard_gebruikt", bestand=self.crosswalk.path)
                else:
                    self.problem(key, "geen_termen", veld=key, bestand=self.crosswalk.path)
        else:
            for key, kind in (("categorieen", "categorie"), ("themas", "thema")):
                if not found[kind]:
                    self.problem(
                        key,
                        "term_onbekend" if unknown else "geen_soort",
                        termen=shown or "-",
                        veld=key,
                        bestand=self.crosswalk.path,
                    )
            if unknown and found["categorie"] and found["thema"]:
                self.warn("categorieen", "term_genegeerd", termen=shown, bestand=self.crosswalk.path)
        return {kind: list(dict.fromkeys(codes)) for kind, codes in found.items()}

    def _place(self, text) -> dict | None:
        if text in (None, ""):
            return None
        return self.crosswalk.place(str(text)) or resolve_place(str(text), self.taxonomy)

    def offered_in(self, locations: list[dict]) -> dict | None:
        resolved, unresolved = [], []
        for area in self.service.get("service_areas") or []:
            if not isinstance(area, dict):
                continue
            found = (
                self._place(area.get("uri")) if str(area.get("uri") or "").upper().startswith("GM") else None
            )
            found = found or self._place(area.get("name"))
            if found:
                resolved.append(found)
            elif area.get("name"):
                unresolved.append(str(area["name"]))
        if not resolved:
            for link in self.service.get("service_at_locations") or []:
                location = (link or {}).get("location") or {}
                if location.get("location_type") == "virtual":
                    resolved.append({"online": True})
                for address in location.get("addresses") or []:
                    found = self._place(address.get("city"))
                    if found:
                        resolved.append(found)
                    elif address.get("city"):
                        unresolved.append(str(address["city"]))
        for place in unresolved:
            short = place if len(place) <= 80 else place[:77] + "..."
            if resolved:
                self.warn("aanbod_in", "plaats_genegeerd", plaats=short)
            else:
                self.problem("aanbod_in", "plaats_onbekend", plaats=short, bestand=self.crosswalk.path)
        if not resolved:
            if unresolved:
                return None
            if self.crosswalk.defaults.get("aanbod_in"):
                self.warn("aanbod_in", "standaard_gebruikt", bestand=self.crosswalk.path)
                return dict(self.crosswalk.defaults["aanbod_in"])
            self.problem("aanbod_in", "geen_gebied", bestand=self.crosswalk.path)
            return None
        codes = list(dict.fromkeys(code for block in resolved for code in block.get("gemeenten") or []))
        if codes:
            return {"gemeenten": codes}
        region = next((block["regio"] for block in resolved if block.get("regio")), None)
        return {"regio": region} if region else {"online": True}

    def locations(self) -> list[dict]:
        result = []
        for link in self.service.get("service_at_locations") or []:
            location = (link or {}).get("location") or {}
            if location.get("location_type") == "virtual":
                continue
            where = f"locaties[{len(result)}]"
            place = {"naam": location.get("name") or (link or {}).get("description")}
            addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
            addresses.sort(key=lambda a: a.get("address_type") != "physical")
            if addresses:
                address = addresses[0]
                try:
                    if normalise_name(address.get("country") or "") not in _NL:
                        raise FieldError("land")
                    postcode = fields.postcode(address.get("postal_code") or "")
                    if not address.get("address_1") or not address.get("city"):
                        raise FieldError("onvolledig")
                    place.update(straat=address["address_1"], postcode=postcode, woonplaats=address["city"])
                except FieldError:
                    shown = ", ".join(
                        str(address.get(k))
                        for k in ("address_1", "postal_code", "city", "country")
                        if address.get(k)
                    )
                    self.warn(where, "adres_weggelaten", adres=shown)
            external = location.get("external_identifier")
            if location.get("external_identifier_type") == ID_SCHEME and external:
                place["_volgorde"] = external
            if place.get("naam") or place.get("straat"):
                result.append(place)
        result.sort(key=lambda p: _location_order(p.pop("_volgorde", None)))
        return result

    def schedule(self, values: dict) -> dict:
        schedules, seen = [], set()
        for source in [
            self.service,
            *[(link or {}) for link in self.service.get("service_at_locations") or []],
        ]:
            for schedule in source.get("schedules") or []:
                if isinstance(schedule, dict) and (schedule.get("id") is None or schedule["id"] not in seen):
                    seen.add(schedule.get("id"))
                    schedules.append(schedule)
        rules, descriptions = [], []
        for schedule in schedules:
            if schedule.get("description"):
                descriptions.append(str(schedule["description"]).strip())
            for part in _SCHEDULE_PARTS:
                if schedule.get(part) not in (None, ""):
                    self.warn("rooster", "rooster_deel", onderdeel=part, waarde=schedule[part])
            rules += self._rules(schedule)
        description = values.get("rooster_omschrijving")
        if description is None and descriptions:
            description = descriptions[0]
            if len(description) > 300:
                self.warn("rooster.omschrijving", "te_lang", max=300)
                description = None
        unique = []
        for rule in rules:
            if rule not in unique:
                unique.append(rule)
        return {"omschrijving": description, "regels": unique}

    def _rules(self, schedule: dict) -> list[dict]:
        freq = schedule.get("freq")
        if not freq:
            return []
        interval = schedule.get("interval")
        if interval not in (None, "", 1, "1", 1.0):
            self.warn("rooster", "rooster_interval", waarde=interval)
            return []
        if freq not in _FREQ_BACK:
            self.warn("rooster", "rooster_freq", waarde=freq)
            return []
        days = [part.strip() for part in str(schedule.get("byday") or "").split(",") if part.strip()]
        if not days:
            self.warn("rooster", "rooster_geen_dag")
            return []
        times = [self._time(schedule.get(key)) for key in ("opens_at", "closes_at")]
        rules = []
        for day in days:
            found = _BYDAY.match(day.upper())
            week = int(found["week"]) if found and found["week"] else None
            if (
                not found
                or (freq == "WEEKLY" and week is not None)
                or (freq == "MONTHLY" and week not in (1, 2, 3, 4, -1))
            ):
                self.warn("rooster", "rooster_dag", waarde=day, freq=freq)
                continue
            rule = {
                "freq": _FREQ_BACK[freq],
                "dag": _DAY_BACK[found["day"]],
                "van": times[0],
                "tot": times[1],
            }
            if week is not None:
                rule["week"] = week
            rules.append({key: value for key, value in rule.items() if value is not None})
        return rules

    def _time(self, value) -> str | None:
        if value in (None, ""):
            return None
        found = _HSDS_TIME.match(str(value).strip())
        if not found or int(found[1]) > 23:
            self.warn(
                "rooster", "weggelaten", waarde=value, reden=message("fouten.tijd_ongeldig", waarde=value)
            )
            return None
        return f"{int(found[1]):02d}:{found[2]}"

    def cost(self) -> dict | None:
        service = self.service
        cost = {"omschrijving": service.get("fees_description") or service.get("fees")}
        for option in service.get("cost_options") or []:
            amount = option.get("amount")
            if amount in (None, ""):
                continue
            currency = str(option.get("currency") or "EUR").upper()
            if currency != "EUR":
                self.warn("kosten.bedrag", "valuta", bedrag=amount, valuta=currency)
                if not cost["omschrijving"]:
                    cost["omschrijving"] = " ".join(
                        str(v) for v in (amount, currency, option.get("amount_description")) if v
                    )
                continue
            try:
                cents = fields.amount_in_cents(amount)
            except FieldError as error:
                self.warn(
                    "kosten.bedrag",
                    "weggelaten",
                    waarde=amount,
                    reden=message(f"fouten.{error.code}", **error.values),
                )
                continue
            if cents == 0:
                cost["gratis"] = True
            else:
                cost["bedrag"] = amount
                cost["per"] = option.get("amount_description")
            break
        cost = {key: value for key, value in cost.items() if value not in (None, "")}
        if not cost:
            self.problem("kosten", "geen_kosten")
            return None
        return cost

    def languages(self) -> list[str]:
        codes = []
        for language in self.service.get("languages") or []:
            raw = str(language.get("code") or "").split("-")[0].strip().lower()
            try:
                codes.append(fields.language(raw))
            except FieldError:
                self.warn("talen", "taal_weggelaten", taal=language.get("name") or language.get("code"))
        return list(dict.fromkeys(codes))

    def phone(self) -> str | None:
        phones = list(self.service.get("phones") or [])
        for link in self.service.get("service_at_locations") or []:
            phones += (link or {}).get("phones") or []
        for entry in phones:
            number = str(entry.get("number") or "").strip().strip('"').strip()
            if number:
                return self.optional("contact.telefoon", number, fields.phone)
        return None

    def age(self, key: str, where: str):
        value = self.service.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return self.optional(where, value, fields.age)

    def organisation(self) -> dict | None:
        key = self.service.get("organization_id")
        if not key:
            self.problem("organisatie", "geen_organisatie")
            return None
        organization = self.data.organizations.get(str(key))
        if organization is None:
            return {"id": str(key)}  # may already be in the database; the validation says so if not
        slug = next(
            (
                str(i.get("identifier"))
                for i in organization.get("organization_identifiers") or []
                if isinstance(i, dict) and i.get("identifier_scheme") == ID_SCHEME and i.get("identifier")
            ),
            str(organization.get("id")),
        )
        description = organization.get("description")
        return {
            "id": slug,
            "naam": organization.get("name"),
            # Our export fills the required description with the name when there is none.
            "beschrijving": None if description == organization.get("name") else description,
            "website": self.optional("organisatie.website", organization.get("website"), fields.url),
            "email": self.optional("organisatie.email", organization.get("email"), fields.email),
        }

    def activity(self) -> MappedService:
        service = self.service
        values = self.values()
        terms = self.terms()
        locations = self.locations()
        organisation = self.organisation()
        status = _STATUS_BACK.get(str(service.get("status") or "").strip().lower())
        if status is None:
            self.problem("status", "status_onbekend", waarde=service.get("status"))
        joining = values.get("aanmelden_wijze") or self.crosswalk.defaults.get("aanmelden_wijze")
        if joining is None:
            self.problem("aanmelden.wijze", "geen_aanmelden", bestand=self.crosswalk.path)
        activity = {
            "id": values.get(SLUG_ATTRIBUTE) or service.get("id"),
            "organisatie": organisation["id"] if organisation else None,
            "naam": service.get("name"),
            "beschrijving": service.get("description"),
            "categorieen": terms["categorie"],
            "themas": terms["thema"],
            "aanbod_in": self.offered_in(locations),
            "locaties": locations,
            "rooster": self.schedule(values),
            "kosten": self.cost(),
            "doelgroep": {
                "leeftijd_min": self.age("minimum_age", "doelgroep.leeftijd_min"),
                "leeftijd_max": self.age("maximum_age", "doelgroep.leeftijd_max"),
                "groepen": terms["doelgroep"],
            },
            "talen": self.languages(),
            "aanmelden": {"wijze": joining},
            "contact": {
                "telefoon": self.phone(),
                "email": self.optional("contact.email", service.get("email"), fields.email),
                "website": self.optional("contact.website", service.get("url"), fields.url),
            },
            "status": status,
            "laatst_gecontroleerd": {
                "datum": self.optional(
                    "laatst_gecontroleerd.datum", _date_part(service.get("assured_date")), fields.date
                ),
            },
        }
        # Our own fields that HSDS keeps as attributes with a value (record_schema.yml: hsds attribute).
        for entry in record_fields("activiteit"):
            if entry.attribute in values and entry.pad not in _ATTRIBUTES_WITH_FALLBACK:
                _put(activity, entry.pad, values[entry.attribute])
        return MappedService(
            hsds_id=str(service.get("id")),
            naam=str(service.get("name") or "-"),
            activity=_without_empty(activity),
            organisation=organisation,
            problems=self.problems,
            warnings=self.warnings,
        )


def _put(record: dict, pad: str, value) -> None:
    *blocks, last = pad.split(".")
    for block in blocks:
        record = record.setdefault(block, {})
    record[last] = value


def _location_order(external: str | None) -> int:
    found = re.search(r"-locatie-(\d+)$", external or "")
    return int(found[1]) if found else 0


def _date_part(value):
    if isinstance(value, str) and "T" in value:
        return value.split("T", 1)[0]
    return value


def _without_empty(value):
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def terms_and_places(data: HsdsData, crosswalk: Crosswalk, taxonomy: Taxonomy | None = None):
    """Every distinct taxonomy term and place name in the data, with what it maps to (or None)."""
    taxonomy = taxonomy or load_taxonomy()
    terms, places = {}, {}
    for service in data.services.values():
        mapping = _Mapping(service, data, crosswalk, taxonomy)
        for attribute in service.get("attributes") or []:
            term = mapping._term_of(attribute) if isinstance(attribute, dict) else None
            if not term:
                continue
            shown = message(
                "hsds_import.term",
                code=term.get("code") or "-",
                naam=term.get("name") or "-",
                taxonomie=term.get("taxonomy") or "-",
            )
            kind = _KIND_OF_TAXONOMY.get(str(term.get("taxonomy") or ""))
            rule = None if kind else crosswalk.rule_for(term, mapping._taxonomy_names(term))
            if kind:
                terms[shown] = f"{kind} {term.get('code')}"
            else:
                terms[shown] = (
                    ", ".join([*rule.categorieen, *rule.themas, *rule.doelgroepen]) if rule else None
                )
        names = [a.get("name") for a in service.get("service_areas") or [] if isinstance(a, dict)]
        for link in service.get("service_at_locations") or []:
            names += [a.get("city") for a in ((link or {}).get("location") or {}).get("addresses") or []]
        for name in names:
            if name:
                found = mapping._place(name)
                places[str(name)] = _offered_text(found) if found else None
    return sorted(terms.items()), sorted(places.items())


def _offered_text(block: dict) -> str:
    if block.get("online"):
        return "online"
    if block.get("regio"):
        return block["regio"]
    return ", ".join(block.get("gemeenten") or [])


def map_services(
    data: HsdsData, crosswalk: Crosswalk | None = None, taxonomy: Taxonomy | None = None
) -> list[MappedService]:
    taxonomy = taxonomy or load_taxonomy()
    crosswalk = crosswalk or load_crosswalk(taxonomy=taxonomy)
    return [_Mapping(service, data, crosswalk, taxonomy).activity() for service in data.services.values()]


def document_of(mapped: list[MappedService], catalogus: dict | None = None) -> dict:
    organisations = {}
    for entry in mapped:
        if entry.organisation and len(entry.organisation) > 1:
            organisations.setdefault(entry.organisation["id"], _without_empty(entry.organisation))
    document = {"organisaties": list(organisations.values()), "activiteiten": [m.activity for m in mapped]}
    if catalogus:
        document["catalogus"] = catalogus
    return document


def hsds_to_document(data) -> dict:
    """Map with the default crosswalk into the file format (mapping problems are left out)."""
    collected = collect(data)
    return document_of(map_services(collected), collected.catalogus)


def hsds_source_document(data, file: str, source: str) -> SourceDocument:
    """For ``sociale-kaart import x.json``: the mapped document with the default crosswalk, and
    each service's mapping problems (field and Dutch reason) as problems of the file."""
    collected = collect(data)
    mapped = map_services(collected)
    problems = [
        Problem(file, None, f"services[{index}] ({entry.naam}).{where}", reason, "hsds_niet_passend")
        for index, entry in enumerate(mapped)
        for where, reason in entry.problems
    ]
    return SourceDocument(file, source, LineDict(document_of(mapped, collected.catalogus)), problems=problems)


# -- importing -----------------------------------------------------------------


@dataclass
class HsdsImport:
    """What an HSDS import found and did: every service with its problems and warnings."""

    source: str
    services: list[MappedService] = field(default_factory=list)
    report: object | None = None  # importer.ImportReport when something was written (or dry run)
    read_problem: str | None = None

    @property
    def fitting(self) -> list[MappedService]:
        return [s for s in self.services if s.fits]

    @property
    def unfit(self) -> list[MappedService]:
        return [s for s in self.services if not s.fits]

    @property
    def imported(self) -> bool:
        return self.report is not None and self.report.ok


def _problems_of(problems) -> list[tuple[str, str]]:
    result = []
    for problem in problems:
        where = re.sub(r"^activiteiten\[\d+\]\.?", "", problem.field or "")
        where = re.sub(r"^organisaties\[\d+\]", "organisatie", where)
        result.append((where or "-", problem.text))
    return result


def check_services(engine: Engine | None, mapped: list[MappedService], source: str, catalogus=None) -> None:
    """Run our normal validation on each mapped service on its own, so problems are per record."""
    from sociale_kaart.importer import _known_organisation_ids
    from sociale_kaart.validation import validate_documents

    known = _known_organisation_ids(engine) if engine is not None else set()
    taxonomy = load_taxonomy()
    for entry in mapped:
        if not entry.fits:
            continue
        document = SourceDocument(source, source, LineDict(document_of([entry], catalogus)))
        validation = validate_documents([document], known, taxonomy)
        entry.problems += _problems_of(validation.problems)


def import_hsds(
    engine: Engine,
    path: str | Path,
    crosswalk: Crosswalk | None = None,
    only_fitting: bool = False,
    dry_run: bool = False,
) -> HsdsImport:
    """Import others' HSDS data. Without ``only_fitting`` nothing is written when any service
    does not fit; with it, the fitting ones are imported (in one transaction)."""
    from sociale_kaart.importer import import_documents

    path = Path(path)
    result = HsdsImport(source=path.name)
    try:
        data = read_hsds(path)
    except HsdsReadError as error:
        result.read_problem = error.text
        return result
    crosswalk = crosswalk or load_crosswalk()
    result.services = map_services(data, crosswalk)
    check_services(engine, result.services, result.source, data.catalogus)
    if result.unfit and not only_fitting:
        return result
    if not result.fitting:
        return result
    document = SourceDocument(
        result.source, result.source, LineDict(document_of(result.fitting, data.catalogus))
    )
    result.report = import_documents(engine, [document], dry_run=dry_run)
    return result
