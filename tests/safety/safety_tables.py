"""Our own example tables for the safety lexicons (not taken from ../shared/eval).

`CRISIS` and `NO_CRISIS` hold the short tables below plus the table by kind in
crisis_table.yml (`GROUPS`: group → (soort, lines), and `TRAPS`).
"""

from pathlib import Path

import yaml

_TABLE = yaml.safe_load((Path(__file__).with_name("crisis_table.yml")).read_text(encoding="utf-8"))
GROUPS: dict[str, tuple[str, list[str]]] = {
    group: (spec["soort"], list(spec["lines"])) for group, spec in _TABLE["groups"].items()
}
TRAPS: list[str] = list(_TABLE["traps"])

CRISIS = {
    "zelfdoding": [
        "ik wil er niet meer zijn",
        "ik wil echt dood",
        "ik denk erover om zelfmoord te pleggen",
        "zelfmoort",
        "ik heb zelfmordgedachtes",
        "ik wil er een eind aan maken",
        "ik maak er vanavond een einde aan",
        "ik wil mezelf iets aandoen",
        "ik ben bang dat ik me iets aandoe",
        "ik wil me zelf iets aan doen",
        "ik snijd mezelf soms",
        "iedereen is beter af zonder mij",
        "het hoeft voor mij niet meer",
        "ik wil gewoon niet meer wakker worden",
        "was ik maar dood",
        "ik wil niet meer.",
        "ik kan niet meer verder",
        "ik ben levensmoe",
        "ik heb een afscheidsbrief geschreven",
        "sinds mijn vrouw overleed denk ik aan zelfmoord",
        "ik zie geen uitweg meer",
        "I want to kill myself",
        "ik zie het echt niet meer zitten",
        "ik wil slapen en nooit meer wakker worden",
        "ik heb mijn polsen doorgesneden",
        "ik ben het leven moe",
        "ik wil niet meer bestaan",
        "mijn leven heeft geen zin meer",
        "ik ben bang dat ik iets doms ga doen",
        "het is beter als ik er niet meer ben",
    ],
    "acuut_gevaar": [
        "ik heb te veel pillen genomen",
        "ik heb net teveel slaappillen geslikt",
        "ik heb een hele strip paracetamol op",
        "mijn moeder heeft een overdosis genomen",
        "ik sta op de brug",
        "hij heeft een mes en is heel boos",
        "mijn vader is bewusteloos",
    ],
    "huiselijk_geweld": [
        "hij slaat me",
        "mijn man slaat me als hij gedronken heeft",
        "mijn vriend schopt mij",
        "ik ben bang voor mijn partner",
        "ik ben bang voor mijn ex",
        "ik word thuis mishandeld",
        "ik word mishandelt",
        "mijn vader slaat mijn moeder",
        "ik voel me niet veilig thuis",
        "er is geweld thuis",
        "hij dreigt me te vermoorden",
        "mijn man heeft me geslagen",
        "hij sluit me op in huis",
    ],
    "naaste": [
        "mijn zoon praat over zelfmoord",
        "mijn dochter heeft het over zelfdoding",
        "mijn vriendin zegt dat ze dood wil",
        "ik ben bang dat mijn broer zichzelf iets aandoet",
        "mijn collega wil er een eind aan maken",
        "mijn moeder wil niet meer leven",
    ],
}

NO_CRISIS = [
    "ik lach me echt dood om die serie",
    "ik verveel me dood",
    "ik schrok me dood van de bel",
    "de accu van mijn auto is leeg",
    "mijn telefoon is dood",
    "mijn plantje is dood",
    "ik ben doodmoe na het werk",
    "dat was doodeng",
    "ik wil doodgewoon een leuke hobby",
    "ik wil niet meer zo veel piekeren",
    "ik wil niet meer alleen eten",
    "ik kan niet meer verder met mijn studie",
    "mijn laptop wil niet meer opstarten",
    "mijn fiets wil niet meer",
    "ik maak een einde aan mijn lidmaatschap",
    "ik wil een einde aan mijn contract bij de sportschool",
    "ik snij de groente voor het eten",
    "ik sneed brood",
    "mijn vader is vorig jaar overleden",
    "mijn hond is dood en ik mis hem",
    "ik heb geen zin in koken",
    "ik ben moe en heb nergens zin in",
    "ik heb schulden en zie het even niet zitten met de post",
    "ik ben bang in het donker",
    "ik ben bang voor spinnen",
    "ik sla mijn huiswerk over",
    "de klok slaat twaalf",
    "ik wil afvallen, niet meer snoepen",
    "ik zoek een cursus zelfverdediging",
    "ik wil stoppen met roken",
    "mijn moeder heeft dementie en ik zorg voor haar",
    "ik heb een chronische ziekte en ben vaak moe",
    "hoeveel paracetamol mag ik nemen?",
    "ik ben doodop",
    "ik sluit me graag aan bij een koor",
    "het is beter als ik stop met roken",
    "ik hoef niet meer elke dag te werken",
    "ik ga dood van de honger",
    "ik zie het niet zitten om te verhuizen",
    "de schrik sloeg me om het hart",
    "mijn leven is druk",
    "ik wil niet meer roken",
]

MEDICAL = [
    "hoeveel ibuprofen mag ik per dag?",
    "mag ik mijn pillen combineren met alcohol?",
    "wat is een normale dosis melatonine",
    "ik heb last van bijwerkingen",
    "wat betekent de uitslag van mijn bloedonderzoek",
    "mijn bloeddruk is 170, is dat te hoog",
    "ik heb al een week koorts, wat moet ik doen?",
    "ik heb buikpijn, wat kan het zijn",
    "heb ik misschien diabetes?",
    "is dementie erfelijk",
    "moet ik naar de huisarts met mijn knie",
    "welk medicijn helpt tegen migraine?",
    "mag ik stoppen met mijn antidepressiva",
    "wat helpt tegen hoofdpijn",
    "500 mg paracetamol, is dat genoeg",
]

NOT_MEDICAL = [
    "ik heb reuma, zijn er lotgenotengroepen?",
    "ik heb diabetes en voel me vaak alleen",
    "ik wil gezonder eten",
    "ik wil stoppen met roken",
    "ik zorg voor mijn moeder die veel medicijnen gebruikt",
    "ik heb pijn in mijn rug, welke sport kan ik doen?",
    "ik ben somber",
    "ik heb schulden, kun je helpen?",
    "waar kan ik koken met anderen?",
    "ik zoek een recept voor soep",
    "ik heb een chronische ziekte",
    "ik slaap slecht door stress",
]


for _soort, _lines in GROUPS.values():
    CRISIS.setdefault(_soort, []).extend(_lines)
NO_CRISIS.extend(TRAPS)
