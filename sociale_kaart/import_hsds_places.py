"""Where a service of others is offered (service areas, addresses) and its locations."""

from __future__ import annotations

import re

from sociale_kaart import fields
from sociale_kaart.crosswalk import normalise_name, resolve_place
from sociale_kaart.export_hsds import ID_SCHEME
from sociale_kaart.fields import FieldError
from sociale_kaart.import_hsds_data import MappingBase

_NL = {"", "nl", "nld", "nederland", "netherlands", "the netherlands"}


class PlacesMapping(MappingBase):
    def _place(self, text) -> dict | None:
        if text in (None, ""):
            return None
        return self.crosswalk.place(str(text)) or resolve_place(str(text), self.taxonomy)

    def offered_in(self, locations: list[dict]) -> dict | None:
        resolved, unresolved = [], []
        areas = list(self.service.get("service_areas") or [])
        for link in self.service.get("service_at_locations") or []:
            areas += (link or {}).get("service_areas") or []  # HSDS 3.1: an area per service_at_location
        for area in areas:
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


def _location_order(external: str | None) -> int:
    found = re.search(r"-locatie-(\d+)$", external or "")
    return int(found[1]) if found else 0


def _offered_text(block: dict) -> str:
    if block.get("online"):
        return "online"
    if block.get("regio"):
        return block["regio"]
    return ", ".join(block.get("gemeenten") or [])
