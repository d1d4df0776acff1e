"""Benchmark of the sociale kaart: import, place resolution and matching at 100,000 activities.

Generates a seeded synthetic catalogue over the 25 municipalities, imports it with
the real importer into a temporary SQLite file, and times 1,000 varied place
resolutions and 1,000 varied match queries. Prints the figures; exits non-zero
when a target is missed.

    .venv/bin/python bench/sociale_kaart_bench.py [--activities 100000] [--queries 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sociale_kaart.db import make_engine, migrate, session_scope  # noqa: E402
from sociale_kaart.importer import import_records  # noqa: E402
from sociale_kaart.match_index import match_index  # noqa: E402
from sociale_kaart.matching import MatchQuery, match_activities, match_coverage  # noqa: E402
from sociale_kaart.places import PlaceResolver  # noqa: E402
from sociale_kaart.taxonomy import load_taxonomy  # noqa: E402
from sociale_kaart.text import lemma  # noqa: E402

TARGETS_MS = {"place p95": 2.0, "match p95": 20.0}
TARGET_IMPORT_S = 60.0

# (name, description, categories, themes)
TEMPLATES = [
    (
        "Wandelgroep",
        "Elke week wandelen we samen een uur door de buurt. Iedereen loopt mee in zijn eigen tempo.",
        ["bewegen_sporten", "natuur"],
        ["gezond_leven", "eenzaamheid"],
    ),
    (
        "Buurtkoor",
        "Samen zingen in een gezellig koor. Je hoeft geen noten te kunnen lezen.",
        ["creatief_cultuur"],
        ["eenzaamheid", "zingeving"],
    ),
    (
        "Koffieochtend",
        "Drink een kop koffie met buurtgenoten. Je bent welkom, ook als je niemand kent.",
        ["contact_ontmoeten"],
        ["eenzaamheid"],
    ),
    (
        "Kookcafe",
        "We koken samen een gezonde maaltijd en eten daarna met elkaar.",
        ["koken_eten", "contact_ontmoeten"],
        ["gezond_leven", "eenzaamheid", "geldzorgen"],
    ),
    (
        "Moestuin",
        "Tuinieren in de buurtmoestuin: zaaien, wieden en oogsten met anderen.",
        ["natuur"],
        ["stress", "somberheid", "gezond_leven"],
    ),
    (
        "Schilderclub",
        "Schilderen en tekenen in een ontspannen sfeer. Materiaal is aanwezig.",
        ["creatief_cultuur"],
        ["zingeving", "stress"],
    ),
    (
        "Spreekuur geldzaken",
        "Hulp bij rekeningen, schulden en rondkomen. Een budgetcoach kijkt met je mee.",
        ["hulp_advies"],
        ["geldzorgen"],
    ),
    (
        "Mantelzorgcafe",
        "Praat met andere mantelzorgers en krijg tips over respijtzorg.",
        ["hulp_advies", "contact_ontmoeten"],
        ["mantelzorg"],
    ),
    (
        "Yoga op de stoel",
        "Rustige yoga en ademhaling, ook als je minder goed kunt bewegen.",
        ["bewegen_sporten", "ontspannen_zingeving"],
        ["stress", "chronische_ziekte"],
    ),
    (
        "Rouwgroep",
        "Een gespreksgroep voor mensen die iemand hebben verloren.",
        ["ontspannen_zingeving", "contact_ontmoeten"],
        ["rouw_en_verlies"],
    ),
    (
        "Taalcafe",
        "Oefen Nederlands praten en lezen met vrijwilligers.",
        ["hulp_advies", "creatief_cultuur"],
        ["taal_en_regelzaken"],
    ),
    (
        "Digicafe",
        "Hulp met je computer, tablet, DigiD en formulieren.",
        ["hulp_advies"],
        ["taal_en_regelzaken"],
    ),
    (
        "Vrijwilligerspunt",
        "Vind vrijwilligerswerk dat bij je past en betekenis geeft.",
        ["vrijwilligerswerk"],
        ["werk_en_meedoen", "zingeving"],
    ),
    (
        "Fietsmaatjes",
        "Samen fietsen op een duofiets met een vrijwilliger.",
        ["bewegen_sporten", "vrijwilligerswerk"],
        ["eenzaamheid", "gezond_leven"],
    ),
    (
        "Repair cafe",
        "Breng kapotte spullen mee en repareer ze samen met handige buren.",
        ["andere_mogelijkheden", "contact_ontmoeten"],
        ["zingeving", "geldzorgen"],
    ),
    ("Opvoedspreekuur", "Stel je vragen over opvoeden aan een opvoedcoach.", ["hulp_advies"], ["opvoeden"]),
    (
        "Klussendienst",
        "Vrijwilligers helpen met kleine klussen in huis.",
        ["andere_mogelijkheden"],
        ["wonen_en_thuis"],
    ),
    (
        "Mindfulnesstraining",
        "Leer omgaan met piekeren en stress met eenvoudige oefeningen.",
        ["ontspannen_zingeving"],
        ["stress", "somberheid"],
    ),
    (
        "Handwerkclub",
        "Breien, haken en borduren met koffie en een praatje.",
        ["creatief_cultuur", "contact_ontmoeten"],
        ["eenzaamheid", "zingeving"],
    ),
    (
        "Spelletjesmiddag",
        "Sjoelen, kaarten en bordspellen met buurtgenoten.",
        ["contact_ontmoeten"],
        ["eenzaamheid", "zingeving"],
    ),
    (
        "Zwemuur",
        "Rustig zwemmen in het zwembad voor iedereen die wil bewegen.",
        ["bewegen_sporten"],
        ["gezond_leven", "chronische_ziekte"],
    ),
    (
        "Lotgenotengroep",
        "Ontmoet anderen met een chronische ziekte en deel ervaringen.",
        ["contact_ontmoeten"],
        ["chronische_ziekte"],
    ),
]
PLACE_WORDS = [
    "De Lelie",
    "Het Anker",
    "De Brug",
    "De Horst",
    "Het Baken",
    "De Linde",
    "Zonnehof",
    "De Kroon",
    "Oost",
    "West",
    "Centrum",
    "Noord",
    "Zuid",
    "Het Dorpshuis",
    "De Boerderij",
    "De Wilg",
]
EXTRA_WORDS = [
    "gezellig",
    "rustig",
    "laagdrempelig",
    "buurtgenoten",
    "ervaren",
    "begeleider",
    "thee",
    "pauze",
    "groepje",
    "wekelijks",
    "nieuwe",
    "deelnemers",
    "welkom",
    "samenwerking",
    "bibliotheek",
    "wijkcentrum",
    "kerk",
    "school",
    "sporthal",
    "park",
    "seizoen",
    "lente",
    "zomer",
    "herfst",
    "winter",
    "ochtend",
    "middag",
    "avond",
    "vervoer",
    "rolstoel",
    "toegankelijk",
    "parkeren",
    "bus",
]
DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
GROUPS = ["ouderen", "mantelzorgers", "jongeren", "ouders", "nabestaanden", "iedereen", "nieuwkomers"]
TEXTS = [
    "wandelen",
    "zingen",
    "zingn",
    "iets met koken",
    "schilderen",
    "koffie drinken",
    "tuinieren",
    "yoga",
    "fietsn",
    "computer",
    "taalcafe",
    "rouw",
    "breien",
    "spelletjes",
    "zwemmen",
    "wandelgroep",
    "moestuin",
    "praten met lotgenoten",
    "klussen",
    "mindfulness",
    "ik wil graag iets creatiefs",
    "schulden",
]


def synthetic_catalogue(count: int, seed: int) -> dict:
    """A catalogue document in the file format with `count` activities."""
    rng = random.Random(seed)
    taxonomy = load_taxonomy()
    municipalities = list(taxonomy.municipalities.values())
    today = dt.date.today()
    organisations = []
    for municipality in municipalities:
        for i in range(4):
            organisations.append(
                {
                    "id": f"org-{municipality.code.lower()}-{i}",
                    "naam": f"Stichting {PLACE_WORDS[i]} {municipality.naam}",
                }
            )
    for j, regio in enumerate(taxonomy.regions):
        organisations.append({"id": f"org-regio-{j}", "naam": f"Regionaal steunpunt {regio}"})
    activities = []
    for n in range(count):
        name, description, categories, themes = rng.choice(TEMPLATES)
        municipality = rng.choice(municipalities)
        roll = rng.random()
        if roll < 0.88:
            same_region = [m for m in municipalities if m.regio == municipality.regio]
            chosen = [municipality] + (
                rng.sample(same_region, k=min(2, len(same_region))) if rng.random() < 0.1 else []
            )
            offered = {"gemeenten": list(dict.fromkeys(m.code for m in chosen))}
            organisation = f"org-{municipality.code.lower()}-{rng.randrange(4)}"
        elif roll < 0.96:
            offered = {"regio": municipality.regio}
            organisation = f"org-regio-{taxonomy.regions.index(municipality.regio)}"
        else:
            offered = {"online": True}
            organisation = f"org-regio-{rng.randrange(len(taxonomy.regions))}"
        place = rng.choice(PLACE_WORDS)
        extra = " ".join(rng.sample(EXTRA_WORDS, k=3))
        status = rng.choices(["actief", "tijdelijk_gesloten", "beeindigd"], weights=[85, 8, 7])[0]
        valid_from = today - dt.timedelta(days=rng.randrange(30, 900))
        valid_to = None
        date_roll = rng.random()
        if date_roll < 0.08:
            valid_to = today - dt.timedelta(days=rng.randrange(1, 200))
            valid_from = valid_to - dt.timedelta(days=rng.randrange(30, 400))
        elif date_roll < 0.13:
            valid_from = today + dt.timedelta(days=rng.randrange(1, 200))
        elif date_roll < 0.4:
            valid_to = today + dt.timedelta(days=rng.randrange(1, 400))
        start_hour = rng.choice([9, 10, 11, 13, 14, 15, 19, 20])
        rules = [
            {
                "freq": "wekelijks",
                "dag": rng.choice(DAYS),
                "van": f"{start_hour:02d}:00",
                "tot": f"{start_hour + 2:02d}:00",
            }
        ]
        if rng.random() < 0.2:
            rules.append(
                {
                    "freq": "maandelijks",
                    "week": rng.choice([1, 2, 3, 4, -1]),
                    "dag": rng.choice(DAYS),
                    "van": "19:30",
                    "tot": "21:00",
                }
            )
        cost_roll = rng.random()
        cost = (
            {"gratis": True}
            if cost_roll < 0.5
            else {"bedrag": rng.choice([1, 2.5, 3, 5]), "per": "keer"}
            if cost_roll < 0.85
            else {"omschrijving": "vrijwillige bijdrage"}
        )
        activity = {
            "id": f"act-{n:06d}",
            "organisatie": organisation,
            "naam": f"{name} {place}",
            "beschrijving": f"{description} {extra.capitalize()}.",
            "categorieen": categories,
            "themas": themes,
            "aanbod_in": offered,
            "rooster": {"regels": rules},
            "kosten": cost,
            "aanmelden": {"wijze": rng.choice(["gewoon_langskomen", "aanmelden", "via_coach_of_wijkteam"])},
            "contact": {"email": f"info{n % 97}@voorbeeld.example.org"},
            "status": status,
            "geldig_van": valid_from.isoformat(),
            "geldig_tot": valid_to.isoformat() if valid_to else None,
        }
        if "gemeenten" in offered:
            activity["locaties"] = [
                {
                    "naam": f"Buurthuis {place}",
                    "straat": f"Dorpsstraat {n % 200 + 1}",
                    "postcode": f"{1000 + n % 8999} AB",
                    "woonplaats": municipality.woonplaatsen[0],
                }
            ]
        if rng.random() < 0.3:
            activity["doelgroep"] = {"groepen": rng.sample(GROUPS, k=rng.choice([1, 2]))}
        if rng.random() < 0.2:
            activity.setdefault("doelgroep", {})["leeftijd_min"] = rng.choice([16, 18, 55, 65])
        activities.append(activity)
    return {
        "catalogus": {"naam": "Synthetische benchmarkcatalogus", "voorbeeldgegevens": True},
        "organisaties": organisations,
        "activiteiten": activities,
    }


def place_inputs(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names = [n for m in load_taxonomy().municipalities.values() for n in (m.naam, *m.woonplaatsen)]
    inputs = []
    for _ in range(count):
        name = rng.choice(names)
        kind = rng.randrange(6)
        if kind == 0:
            inputs.append(name)
        elif kind == 1:
            i = rng.randrange(len(name))
            inputs.append(name[:i] + name[i + 1 :])
        elif kind == 2:
            inputs.append(f"ik woon in {name.lower()}")
        elif kind == 3:
            i = rng.randrange(max(1, len(name) - 1))
            inputs.append(name[:i] + name[i + 1 : i + 2] + name[i : i + 1] + name[i + 2 :])
        elif kind == 4:
            inputs.append(
                rng.choice(["Den Haag", "Noord", "xyz", "Haarlem", "ik weet het niet", "Amsterdam"])
            )
        else:
            inputs.append(f"Hallo, mijn naam is Sam en ik kom uit {name}, sinds een paar jaar.")
    return inputs


def _maybe_typo(text: str, rng: random.Random) -> str:
    """Half of the texts get one letter dropped or two letters swapped, as residents type."""
    if rng.random() < 0.5 or len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def match_queries(count: int, seed: int) -> list[tuple[MatchQuery, int]]:
    rng = random.Random(seed)
    taxonomy = load_taxonomy()
    codes = list(taxonomy.municipalities)
    themes = list(taxonomy.themes)
    categories = list(taxonomy.categories)
    queries = []
    for _ in range(count):
        query = MatchQuery(
            themes=rng.sample(themes, k=rng.choice([1, 1, 2])),
            categories=rng.sample(categories, k=1) if rng.random() < 0.3 else (),
            gemeente_code=rng.choice(codes),
            text=_maybe_typo(rng.choice(TEXTS), rng) if rng.random() < 0.4 else None,
            free_only=rng.random() < 0.2,
            dagdeel=rng.choice(["ochtend", "middag", "avond"]) if rng.random() < 0.2 else None,
            age=rng.choice([17, 30, 70]) if rng.random() < 0.15 else None,
            group=rng.choice(GROUPS) if rng.random() < 0.15 else None,
        )
        queries.append((query, rng.choice([0, 0, 0, 3])))
    return queries


def _resident_mb() -> float:
    """Resident memory of this process now (Linux), in MB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": statistics.median(ordered), "p95": cut[94], "p99": cut[98], "max": ordered[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    failures = []

    resolver = PlaceResolver.default()
    inputs = place_inputs(args.queries, args.seed)
    for text in inputs[:50]:
        resolver.resolve(text)  # warm up
    place_ms = []
    for text in inputs:
        start = time.perf_counter()
        resolver.resolve(text)
        place_ms.append((time.perf_counter() - start) * 1000)
    figures = percentiles(place_ms)
    print(
        f"plaats herkennen ({len(inputs)} invoeren): "
        + ", ".join(f"{k} {v:.3f} ms" for k, v in figures.items())
    )
    if figures["p95"] > TARGETS_MS["place p95"]:
        failures.append(f"place p95 {figures['p95']:.3f} ms > {TARGETS_MS['place p95']} ms")

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(url)
        engine = make_engine(url)
        start = time.perf_counter()
        document = synthetic_catalogue(args.activities, args.seed)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        report = import_records(engine, document, source="bench")
        imported = time.perf_counter() - start
        if not report.ok:
            print("import mislukt:", [str(p) for p in report.problems[:5]])
            return 2
        print(
            f"catalogus: {args.activities} activiteiten gemaakt in {generated:.1f} s, "
            f"geimporteerd in {imported:.1f} s (toegevoegd {report.added})"
        )
        if imported > TARGET_IMPORT_S:
            failures.append(f"import {imported:.1f} s > {TARGET_IMPORT_S} s")

        queries = match_queries(args.queries, args.seed)
        start = time.perf_counter()
        lemma("wandelen")
        print(f"spaCy-pipeline (Nederlands, lookup-lemma's) geladen in {time.perf_counter() - start:.1f} s")
        resident_before = _resident_mb()
        with session_scope(engine) as session:
            start = time.perf_counter()
            match_index(session)
            built = time.perf_counter() - start
            index_mb = _resident_mb() - resident_before
            print(f"index (structuur en zoekwoorden) opgebouwd in {built:.2f} s "
                  f"(eenmalig per proces en catalogusversie); geheugen erbij: {index_mb:.0f} MB")
            for query, offset in queries[:20]:
                match_activities(session, query, offset=offset)  # warm up
            match_ms, match_cpu_ms, empty = [], [], 0
            load_before = os.getloadavg()[0]
            for query, offset in queries:
                start, cpu_start = time.perf_counter(), time.thread_time()
                results = match_activities(session, query, limit=3, offset=offset)
                match_ms.append((time.perf_counter() - start) * 1000)
                match_cpu_ms.append((time.thread_time() - cpu_start) * 1000)
                empty += not results
            load_after = os.getloadavg()[0]
            coverage_ms, coverage_cpu_ms = [], []
            for query, _ in queries[:200]:
                start, cpu_start = time.perf_counter(), time.thread_time()
                match_coverage(session, query)
                coverage_ms.append((time.perf_counter() - start) * 1000)
                coverage_cpu_ms.append((time.thread_time() - cpu_start) * 1000)
        engine.dispose()
    figures = percentiles(match_ms)
    print(
        f"matchen ({len(queries)} vragen, {empty} zonder resultaat): "
        + ", ".join(f"{k} {v:.2f} ms" for k, v in figures.items())
    )
    cpu = percentiles(match_cpu_ms)
    print(
        "  waarvan rekentijd (CPU van deze thread): "
        + ", ".join(f"{k} {v:.2f} ms" for k, v in cpu.items())
        + f"; belasting van de machine {load_before:.1f} -> {load_after:.1f} op {os.cpu_count()} kernen"
    )
    if figures["p95"] > TARGETS_MS["match p95"]:
        failures.append(f"match p95 {figures['p95']:.2f} ms > {TARGETS_MS['match p95']} ms")
    figures = percentiles(coverage_ms)
    print(
        f"dekking gemeente/regio/online ({len(coverage_ms)} vragen): "
        + ", ".join(f"{k} {v:.2f} ms" for k, v in figures.items())
    )
    cpu = percentiles(coverage_cpu_ms)
    print("  waarvan rekentijd: " + ", ".join(f"{k} {v:.2f} ms" for k, v in cpu.items()))
    if load_after > (os.cpu_count() or 1):
        print(
            f"Let op: de machine was druk (belasting {load_after:.1f} op {os.cpu_count()} kernen); "
            "de kloktijden hierboven zijn daardoor hoger dan de rekentijd."
        )

    for failure in failures:
        print("DOEL GEMIST:", failure)
    print("alle doelen gehaald" if not failures else f"{len(failures)} doel(en) gemist")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
