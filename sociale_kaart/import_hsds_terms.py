"""Taxonomy terms of others to our categories, themes and target groups (via the crosswalk)."""

from __future__ import annotations

from sociale_kaart.crosswalk import normalise_name
from sociale_kaart.export_hsds import TAXONOMIES
from sociale_kaart.import_hsds_data import MappingBase
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
        """The attribute's term: written out in it, or by its id elsewhere in the file (both
        together when the written-out one leaves fields empty)."""
        inline = attribute.get("taxonomy_term")
        inline = inline if isinstance(inline, dict) else {}
        key = inline.get("id") or attribute.get("taxonomy_term_id")
        known = self.data.terms.get(str(key)) if key not in (None, "") else None
        if not inline:
            return _named(known) if known else None
        if not known:
            return _named(inline)
        return _named({**known, **{k: v for k, v in inline.items() if v not in (None, "")}})

    def _missing_terms(self) -> list[str]:
        """taxonomy_term_ids that the file does not write out anywhere."""
        return [
            str(a["taxonomy_term_id"])
            for a in self.service.get("attributes") or []
            if isinstance(a, dict)
            and a.get("taxonomy_term_id") not in (None, "")
            and a.get("value") is None
            and not self._term_of(a)
        ]

    def _taxonomy_names(self, term: dict) -> set[str]:
        names = {term.get("taxonomy"), term.get("taxonomy_id")}
        details = [term.get("taxonomy_detail"), self.data.taxonomies.get(str(term.get("taxonomy_id")))]
        # A taxonomy named by its name only: its id and uri from where the file describes it.
        wanted = normalise_name(str(term.get("taxonomy") or ""))
        if wanted:
            details += [
                t for t in self.data.taxonomies.values() if normalise_name(str(t.get("name"))) == wanted
            ]
        for detail in details:
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
        unknown, mapped = [], []
        for missing in self._missing_terms():
            self.warn("categorieen", "term_niet_in_bestand", id=missing)
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
            mapped.append(term)
            found["categorie"] += rule.categorieen
            found["thema"] += rule.themas
            found["doelgroep"] += rule.doelgroepen
        shown = self._shown(unknown)
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
                        termen=shown or self._shown(mapped) or "-",
                        veld=key,
                        bestand=self.crosswalk.path,
                    )
            if unknown and found["categorie"] and found["thema"]:
                self.warn("categorieen", "term_genegeerd", termen=shown, bestand=self.crosswalk.path)
        return {kind: list(dict.fromkeys(codes)) for kind, codes in found.items()}

    def _shown(self, terms: list[dict]) -> str:
        return ", ".join(
            message(
                "hsds_import.term",
                code=t.get("code") or "-",
                naam=t.get("name") or "-",
                taxonomie=t.get("taxonomy") or self._taxonomy_name(t) or "-",
            )
            for t in terms
        )

    def _taxonomy_name(self, term: dict):
        """The taxonomy's name from taxonomy_detail, or from the file by taxonomy_id."""
        for detail in (term.get("taxonomy_detail"), self.data.taxonomies.get(str(term.get("taxonomy_id")))):
            if isinstance(detail, dict) and detail.get("name"):
                return detail["name"]
        return term.get("taxonomy_id")


def _named(term: dict) -> dict:
    """HSDS 2 and some exports give the term's text as "term", not "name"."""
    if term.get("name") in (None, "") and term.get("term") not in (None, ""):
        return {**term, "name": term["term"]}
    return term
