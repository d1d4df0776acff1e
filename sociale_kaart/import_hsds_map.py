"""One service of others to one activity of our file format: each part, with Dutch reasons.

The parts live in their own modules (terms, places, schedule); this one puts the activity
together (status, cost, languages, contact, organisation, our own attributes) and turns the
mapped services into a document for the normal validation and import.
"""

from __future__ import annotations

import datetime as dt
import re

from sociale_kaart import fields
from sociale_kaart.crosswalk import Crosswalk, load_crosswalk
from sociale_kaart.export_hsds import ID_SCHEME, SLUG_ATTRIBUTE, STATUS
from sociale_kaart.fields import FieldError
from sociale_kaart.import_hsds_data import HsdsData, MappedService
from sociale_kaart.import_hsds_json import collect
from sociale_kaart.import_hsds_places import PlacesMapping, _offered_text
from sociale_kaart.import_hsds_schedule import ScheduleMapping
from sociale_kaart.import_hsds_shape import NOTES
from sociale_kaart.import_hsds_shape import reason as shape_reason
from sociale_kaart.import_hsds_terms import _KIND_OF_TAXONOMY, TermsMapping
from sociale_kaart.problems import LineDict, Problem
from sociale_kaart.readers import SourceDocument
from sociale_kaart.record_schema import record_fields
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy
from sociale_kaart.texts import message

_STATUS_BACK = (
    {hsds: ours for ours, hsds in STATUS.items()}
    | {"inactive": "tijdelijk_gesloten"}
    | {ours.replace("_", " "): ours for ours in STATUS}  # our own codes, as in our export's YAML
)
# Attribute fields read with a fallback of their own (the crosswalk default, the schedule text).
_ATTRIBUTES_WITH_FALLBACK = ("aanmelden.wijze", "rooster.omschrijving")


class _Mapping(TermsMapping, PlacesMapping, ScheduleMapping):
    """Maps one service; problems and warnings per field (MappingBase)."""

    def cost(self) -> dict | None:
        service = self.service
        cost = {
            "omschrijving": self.plain(
                "kosten.omschrijving", service.get("fees_description") or service.get("fees")
            )
        }
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

    def phone(self, phones=None) -> str | None:
        if phones is None:
            phones = list(self.service.get("phones") or [])
            for link in self.service.get("service_at_locations") or []:
                phones += (link or {}).get("phones") or []
                phones += ((link or {}).get("location") or {}).get("phones") or []
            for person in self.service.get("contacts") or []:  # a contact person's phone last
                phones += person.get("phones") or []
        for entry in phones:
            number = (
                str(entry.get("number") or "").strip().strip('"').strip() if isinstance(entry, dict) else ""
            )
            if number:
                return self.optional("contact.telefoon", number, fields.phone)
        return None

    def contact(self) -> dict:
        """The service's own phone, e-mail and website; with none of them, the organisation's."""
        service = self.service
        contact = {
            "telefoon": self.phone(),
            "email": self.optional("contact.email", _contact_email(service), fields.email),
            "website": self.optional("contact.website", service.get("url"), fields.url),
        }
        organization = self.data.organizations.get(str(service.get("organization_id") or "")) or {}
        if any(contact.values()) or not organization:
            return contact
        contact = {
            "telefoon": self.phone(organization.get("phones") or []),
            "email": self.optional("contact.email", organization.get("email"), fields.email),
            "website": self.optional(
                "contact.website", (organization.get("website") or organization.get("url")), fields.url
            ),
        }
        if any(contact.values()):
            self.warn("contact", "contact_organisatie")
        return contact

    def age(self, key: str, where: str):
        value = self.service.get(key)
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.0+)?\s*", value):
            value = float(value)  # a CSV cell: "18" or "18.0"
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
            "beschrijving": None
            if description == organization.get("name")
            else self.plain("organisatie.beschrijving", description),
            "website": self.optional(
                "organisatie.website", (organization.get("website") or organization.get("url")), fields.url
            ),
            "email": self.optional("organisatie.email", organization.get("email"), fields.email),
        }

    def status(self) -> str | None:
        value = self.service.get("status")
        raw = re.sub(r"[\s_-]+", " ", "" if value is None else str(value)).strip().lower()
        if not raw:
            if self.crosswalk.defaults.get("status"):
                self.warn("status", "standaard_gebruikt", bestand=self.crosswalk.path)
                return self.crosswalk.defaults["status"]
            self.problems.append(("status", shape_reason("geen_status", bestand=self.crosswalk.path)))
            return None
        status = _STATUS_BACK.get(raw)
        if status is None:
            self.problem("status", "status_onbekend", waarde=self.service.get("status"))
        return status

    def activity(self) -> MappedService:
        service = self.service
        values = self.values()
        terms = self.terms()
        locations = self.locations()
        organisation = self.organisation()
        status = self.status()
        joining = values.get("aanmelden_wijze") or self.crosswalk.defaults.get("aanmelden_wijze")
        if joining is None:
            self.problem("aanmelden.wijze", "geen_aanmelden", bestand=self.crosswalk.path)
        activity = {
            "id": _text(values.get(SLUG_ATTRIBUTE) or service.get("id")),  # others may use numbers
            "organisatie": organisation["id"] if organisation else None,
            "naam": service.get("name"),
            "beschrijving": self.plain("beschrijving", service.get("description")),
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
            "contact": self.contact(),
            "status": status,
            "laatst_gecontroleerd": {
                "datum": self.optional(
                    "laatst_gecontroleerd.datum", _date_part(service.get("assured_date")), fields.date
                ),
            },
        }
        # Parts left out because of their shape (import_hsds_shape), the organisation's too.
        organization = self.data.organizations.get(str(service.get("organization_id") or "")) or {}
        for where, reason in [*(service.get(NOTES) or []), *(organization.get(NOTES) or [])]:
            self.warnings.append((where, reason))
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


def _contact_email(service: dict):
    """The service's e-mail, or else that of its first contact person who has one."""
    if service.get("email") not in (None, ""):
        return service["email"]
    return next((c["email"] for c in service.get("contacts") or [] if c.get("email") not in (None, "")), None)


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)


def _put(record: dict, pad: str, value) -> None:
    *blocks, last = pad.split(".")
    for block in blocks:
        record = record.setdefault(block, {})
    record[last] = value


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
                taxonomie=term.get("taxonomy") or mapping._taxonomy_name(term) or "-",
            )
            kind = _KIND_OF_TAXONOMY.get(str(term.get("taxonomy") or ""))
            rule = None if kind else crosswalk.rule_for(term, mapping._taxonomy_names(term))
            if kind:
                terms[shown] = f"{kind} {term.get('code')}"
            else:
                terms[shown] = (
                    ", ".join([*rule.categorieen, *rule.themas, *rule.doelgroepen]) if rule else None
                )
        areas = list(service.get("service_areas") or [])
        for link in service.get("service_at_locations") or []:
            areas += (link or {}).get("service_areas") or []
        names = [a.get("name") for a in areas if isinstance(a, dict)]
        for link in service.get("service_at_locations") or []:
            names += [a.get("city") for a in ((link or {}).get("location") or {}).get("addresses") or []]
        for name in names:
            if name:
                found = mapping._place(name)
                places[str(name)] = _offered_text(found) if found else None
    return sorted(terms.items()), sorted(places.items())


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
