"""Taxonomy terms of others to our categories, themes and target groups (via the crosswalk)."""

from __future__ import annotations

from sociale_kaart.export_hsds import TAXONOMIES
from sociale_kaart.import_hsds_data import MappingBase
from sociale_kaart.suggest import normalise_name
from sociale_kaart.texts import message, target_groups

_KIND_OF_TAXONOMY = {name: kind for kind, name in TAXONOMIES.items()}


class TermsMapping(MappingBase):
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
