"""The pattern tables of the crisis lexicon, one table per kind of message.

Patterns run on text normalised by `bot.safety.text.normalise` (lowercase, no
accents, "m'n" → "mijn", "me zelf" → "mezelf"). `{_W}` stands for one word and
its space. An entry is a pattern, or a `Rule` that adds

- `veto`: a pattern searched from the start of the match up to 40 characters
  after it; when it is found the match does not count ("ik heb me gesneden
  aan een blikje", "ik sla me er wel doorheen");
- `not_self`: the match does not count when the resident is the one who acts
  ("ik kras met een mes" is self-harm, not someone with a knife);
- `harm_to_me`: the phrase harms "me"; when someone else is the one who acts
  ("mijn ex dreigt me iets aan te doen") it is violence at home, not 113.

Groups of the resident's own danger (all answered with 113):
- `GEDACHTEN`: thoughts and wishes of suicide;
- `ZELFBESCHADIGING`: self-harm acts in plain words (cutting, scratching,
  burning, hitting oneself, until it bleeds), every tense, "me" and "mezelf";
- `VOORBEREIDING`: preparations and means (saving pills, a plan, a farewell
  letter, giving things away);
- `INDIRECT`: indirect phrasings (not wanting to be here, a burden, nobody
  would miss me, disappearing, nothing makes sense any more).
Who the sentence is about (the resident, someone else, or someone else who
threatens the resident) is decided in `bot.safety.crisis`.
"""
# ruff: noqa: E501  (pattern tables read better with one pattern per line)

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    pattern: str
    veto: str | None = None
    not_self: bool = False
    # "me" is the one harmed: when someone else acts ("hij dreigt me iets aan te doen"), it is violence.
    harm_to_me: bool = False
    # a topic in a book, film or lesson does not count ("een les over zelfdoding")
    topic: bool = False


# A book, film or lesson about suicide is a topic, not a wish ("een boek gelezen over zelfmoord",
# "in die serie pleegt iemand zelfmoord"); decided in `bot.safety.crisis` for entries with `topic`.
MEDIA = (
    r"(?:boek|boeken|film|films|serie|series|documentaire|docu|artikel|les|lessen|spreekbeurt|podcast|lezing|"
    r"voorlichting|verhaal|aflevering|gedicht|nieuws|krant|roman|toneelstuk|spel|game|werkstuk|opdracht|cursus|training|"
    r"tentoonstelling|uitzending|programma|boekje|folder|website|strip|song|liedje|nummer)"
)

# Words the patterns match only through optional parts ("(?:be)?eindigen") or folds ("einde" → "eind"):
# typos are corrected towards them too; so are the person words that decide who acts
# ("ik woon met iemanx die me slaat": "iemand", not "ik", is the one who hits).
EXTRA_WORDS = (
    "einde beeindigen beeindig afscheidsbrief afscheidsbrieven uithuwelijken uithuwelijkt zelfverwonding "
    "zelfbeschadiging suicidaal suicidale suicide zelfmoordgedachten zelfmoordgedachtes mezelf mijzelf zichzelf "
    "opgebrand uitgebrand ongeluk iemand niemand leve over boek film serie documentaire artikel spreekbeurt podcast "
    "lezing voorlichting verhaal aflevering roman lotgenoten lotgenoot nabestaande nabestaanden overleden rouwgroep"
)

# Everyday words one or two keyboard slips away from a lexicon word: typos are read as
# them too, so "ik wil mezelf verwrnnen" (verwennen) never becomes "mezelf verwonden".
HARMLESS_WORDS = (
    "verwennen verwen verwent verwende verwend verwenden trakteren ontspannen uitrusten opladen "
    "snoeien schillen knippen bakken branden koken graag normaal serieus nerveus"
)

# The glue words of the patterns. A slip of one key can turn them into another Dutch
# word ("niet" → "nier", "naar" → "gaar", "maken" → "haken", "pijn" → "lijn").
GLUE_WORDS = (
    "niet meer naar maken mezelf mijzelf pijn leven laat nemen klaar iets geen heeft mijn doen gaan huis deur "
    "voor eind wakker worden altijd zonder missen pillen tabletten gespaard verzameld armen verwond stoppen bonk "
    "deed weet spaar bloed heel krassen snijden rand spoor waar wanneer nooit over spullen haar afmaken zegt"
)

# Single words that are a crisis on their own (keyword → kind), also misspelt ("zelfmord", "mishandelt").
FUZZY_WORDS = {
    "zelfmoord": "zelfdoding",
    "zelfdoding": "zelfdoding",
    "suicide": "zelfdoding",
    "suicidaal": "zelfdoding",
    "zelfbeschadiging": "zelfdoding",
    "levensmoe": "zelfdoding",
    "overdosis": "acuut_gevaar",
    "mishandeld": "huiselijk_geweld",
    "mishandeling": "huiselijk_geweld",
}

RELATIVES = (
    "zoon|dochter|kind|kinderen|kindje|broer|broertje|zus|zusje|zuster|vader|moeder|pa|ma|papa|mama|"
    "opa|oma|man|vrouw|partner|vriend|vriendin|vriendje|ex|buurman|buurvrouw|collega|neef|nicht|oom|"
    "tante|schoonzoon|schoondochter|kleinzoon|kleindochter|stiefvader|stiefmoeder|stiefzoon|stiefdochter|"
    "tiener|puber|leerling|klasgenoot|huisgenoot|cliënt|client|echtgenoot|echtgenote|vriendinnetje|zwager|"
    "schoonzus|schoonvader|schoonmoeder|exman|exvrouw|exvriend|exvriendin|expartner|vriendje|zoontje|dochtertje"
)
DOOD = r"(?:dood|dod|doot|doodgaan|sterven)"
ABUSER_OBJECT = r"(?:me|mij|ons|mijn (?:kind|kinderen|zoon|dochter|moeder|vader|zus|broer)|de kinderen)"

# Verb forms of self-harm acts: cutting, scratching, carving, burning, wounding ("ik snij me", "ik snij mezelf") ...
_HARM_CUT = (
    r"(?:snij|snijd|snijdt|sneed|sneden|gesneden|snijden|kras|krast|kraste|krasten|gekrast|krassen|verbrand|verbrandt|verbrandde|verbranden|"
    r"kerf|kerft|kerfde|gekerfd|kerven|brand|brandt|brandde|gebrand|branden|"
    r"verwond|verwondt|verwondde|verwonden|beschadig|beschadigt|beschadigde|beschadigd|beschadigen|"
    r"pijnig|pijnigt|pijnigde|gepijnigd|verminken|vermink|verminkt|opengehaald|openhalen|opengesneden|opengekrast|"
    r"openkrassen|opensnijden|toegetakeld)"
)
# ... and hitting, banging: only with "mezelf" ("de schrik sloeg me om het hart" is not self-harm).
_HARM_HIT = (
    r"(?:sla|slaat|sloeg|geslagen|slaan|stomp|stompt|stompte|gestompt|stompen|bonk|bonkt|bonkte|gebonkt|bonken|"
    r"beuk|beukt|beukte|gebeukt|mishandel|mishandelde|mishandeld|mep|mept|mepte|gemept)"
)
_HARM = rf"(?:{_HARM_CUT[3:-1]}|{_HARM_HIT[3:-1]})"
# Done to a body part: participles and infinitives only ("mijn huid brandt" is a feeling, not an act).
_HARM_DONE = (
    r"(?:gesneden|gekrast|gekerfd|gebrand|geslagen|gestompt|gebonkt|verwond|beschadigd|gepijnigd|opengehaald|"
    r"opengesneden|opengekrast|verminkt|toegetakeld|snijden|krassen|kerven|opensnijden|openkrassen|openhalen)"
)
_REFL = r"(?:mezelf|mijzelf|me|mij)"
_BODY = (
    r"(?:arm|armen|onderarm|onderarmen|bovenarm|bovenarmen|pols|polsen|been|benen|bovenbeen|bovenbenen|"
    r"dij|dijen|dijbeen|huid|buik|heup|heupen|enkel|enkels|borst|lichaam|lijf|schouder|schouders)"
)
# A self-harm match is an accident or an idiom when followed by these.
_ACCIDENT = (
    r"per ongeluk|\baan (?:een|de|het|mijn|die|dat|zo'?n) |\bbij het \w+|"
    r"\baan (?:\w+ )?(?:papier|glas|scherven|scherf|blik|doorn\w*|rozen\w*|brandnetel\w*|oven|pan|fornuis|kachel|vuur|hek|prikkeldraad|spijker|stoom|heet water|thee|koffie|soep|strijkijzer|messen|schaar)\b|"
    r"\btijdens het|\bin de (?:vingers|keuken|zon)|\bzon\b|zonnebrand|\bvoor (?:mijn|de|het|m'n) (?:kop|hoofd|kanis|harses)|"
    r"\ber (?:\w+ )?(?:door|doorheen)\b|\bdoorheen\b|\b(?:niet|nooit)\b(?! (?:meer )?te \w+)|\bop de borst\b|\bin elkaar\b|om het hart|opgebrand|uitgebrand|aangebrand|afgebrand|opgebruikt"
)

GEDACHTEN = [
    # a split compound ("ik wil dood graag een hond", "doodgewoon") is no wish, also misspelt ("dood grqag")
    Rule(
        rf"\b(?:wil|wilt|wilde|wilden|willen|wou|wouden) {{_W}}{{0,2}}?{DOOD}\b",
        veto=rf"\b{DOOD} (?:graag|gewoon|normaal|moe|op|ziek|stil|leuk|eng|simpel|saai|zonde|bang|serieus|nerveus)\b",
    ),
    # dying as a relief: "dood gaan lijkt me fijn", "sterven zou een verlossing zijn"
    rf"\b(?:{DOOD} (?:zijn|gaan)|doodgaan|sterven|dood zijn|er niet meer zijn|niet meer leven|niet meer wakker worden|de dood) (?:lijkt|leek|zou|voelt|is) (?:me |mij )?(?:{{_W}})?(?:zo |echt |wel |heel |zo'?n )?"
    r"(?:fijn|fijner|beter|een verlossing|verlossing|rustig|rustiger|heerlijk|prima|niet erg|makkelijker|een opluchting|opluchting|het beste|de oplossing|een oplossing|mijn enige uitweg)\b",
    # thinking of one's own death: "elke dag denk ik aan doodgaan", "ik denk steeds aan de dood"
    r"\b(?:denk|denkt|dacht|pieker|pieker|fantaseer|droom)\w* {_W}{0,3}?(?:aan|over) (?:doodgaan|sterven|dood gaan|dood zijn|mijn (?:eigen )?dood|de dood|dood)\s*(?:[.!,;]|$|en |want |omdat |als |de hele|elke|iedere|steeds|vaak)",
    rf"\b(?:liever|liefst|beter) {DOOD}\b",
    rf"\bwas ik (?:maar )?{DOOD}\b",
    rf"\bik {DOOD} (?:was|ben|zou zijn|wil)\b",
    rf"\b{DOOD} (?:wil|wilt|wou|willen)\b",
    r"\bniet meer (?:verder )?(?:willen |wil |hoeven )?(?:verder )?(?:leven|ademen)\b",
    r"\b(?:mijn|het) leven hoeft (?:voor mij |van mij |echt )?niet meer\b",
    r"\b(?:dood|er niet meer) (?:zijn|gaan|zou zijn) {_W}{0,2}?(?:beter|fijner|rustiger|makkelijker|een opluchting)\b",
    r"\bniet meer te (?:bestaan|leven|ademen)\b(?! (?:van|met|in|op))",
    r"\ber {_W}{0,1}?beter niet (?:meer )?(?:zijn|wezen|bestaan)\s*(?:[.!,;]|$)",
    r"\b(?:niet|geen) (?:{_W}){0,6}?om (?:nog )?(?:te leven|door te gaan|verder te gaan|verder te leven|te blijven leven)\b(?! (?:met|naar|in|op|bij))",
    r"\bwil(?:de)? {_W}{0,2}?niet meer leven\b",
    r"\bwil(?:de)? {_W}{0,1}?er {_W}{0,2}?niet meer (?:zijn|wezen)\b",
    r"\ber {_W}{0,1}?niet meer (?:wil|wilt|wou|willen|wilde) (?:zijn|wezen)\b",
    r"\b(?:ik|mij|me) er (?:gewoon |echt |straks |dan )?niet meer (?:ben|was|zou zijn|zijn)\b",
    r"\ber {_W}{0,2}?een eind aan(?: {_W}{0,1}?(?:maken|te maken|maak|maakt|gemaakt|gaan maken)\b|\s*(?:[.!,;]|$))(?!\s*,?\s*aan (?:die|de|het|dat|mijn|ons|onze|deze|dit|zijn|haar) (?!leven\b))",
    r"\been eind aan (?:mijn|m'n|het|dit|zijn|haar|z'n) (?:eigen )?leven\b",
    r"\been eind aan (?:alles|het allemaal|het lijden|mijn lijden)\b",
    r"\bmijn leven (?:be)?eindigen\b",
    r"\buit het leven (?:stappen|gaan|te stappen|te gaan)\b",
    r"\bvan kant (?:{_W}){0,2}?(?:maken|te maken|maakt|maak|gemaakt)\b",
    r"\b(?:mezelf|mijzelf) {_W}{0,3}?(?:iets|wat|pijn|kwaad|schade) (?:aan te doen|aandoen|te doen|doen|aan doen)\b",
    Rule(r"\b(?:me|mij) (?:iets|wat) {_W}{0,1}?(?:aan te doen|aandoen|aandoe|aandoet)\b", harm_to_me=True),
    r"\b(?:mezelf|mijzelf) {_W}{0,3}?(?:doden|ombrengen|ophangen|snijden|krassen|verwonden|beschadigen|"
    r"verdrinken|vergiftigen|iets aandoen)\b",
    r"\bgeen (?:gat|uitweg) meer\b",
    r"\bgeen uitweg\s*(?:[.!,;]|$)|\bgeen uitweg (?:meer )?(?:uit|voor|in) (?:dit|deze|mijn|het) (?:leven|situatie|ellende|bestaan)\b",
    r"\been eind (?:{_W})?(?:maken|te maken|gemaakt|maak|maakt) aan (?:alles|mijn leven|het leven|het allemaal|mijn bestaan|dit leven)\b",
    r"\b(?:weg|slapen|verdwijnen|gaan|rusten|ophouden|zet|zetten|stoppen|stop|tussenuit|ertussenuit|eruit)\W+(?:en )?voorgoed\s*(?:[.!,;]|$)",
    rf"\bzin (?:om|in) (?:{{_W}})?(?:te sterven|dood te gaan|{DOOD}|dood te zijn|er een eind aan te maken)\b(?! (?:van|aan)\b)",
    Rule(
        r"\b(?:kan|mag|zou) ik (?:{_W}){0,2}?(?:niet )?(?:gewoon |eindelijk |alsjeblieft |nu )?(?:dood ?gaan|doodgaan|sterven|dood zijn)\b",
        veto=r"\b(?:dood ?gaan|doodgaan|sterven) (?:aan|van|door|bij)\b",
    ),
    r"\b(?:denk|droom|fantaseer|pieker)\w* {_W}{0,2}?(?:aan|over) mijn eigen (?:begrafenis|uitvaart|dood|graf)\b",
    r"\bik sta (?:{_W}){0,1}?(?:alleen maar|toch alleen maar|toch alleen|iedereen|jullie|iedereen alleen maar) in de weg\s*(?:[.!,;]|$)",
    r"\b(?:beter|makkelijker|fijner|gelukkiger|rustiger|leuker)(?: af)? (?:{_W}){0,1}?(?:zijn |is |wezen )?zonder (?:mij|me)\s*(?:[.!,;]|$)",
    r"\bhoef (?:er|hier) (?:echt |gewoon |toch )?niet meer te (?:zijn|wezen|leven)\b(?! (?:om|op|bij|voor|in|met)\b)",
    r"\b(?:stoppen|stop|ophouden|kappen|klaar) met alles(?: en iedereen)?\s*(?:[.!,;]|$)|\bermee (?:stoppen|ophouden|kappen),? voorgoed\b",
    r"\bhou (?:het|dit) (?:echt |gewoon |zo )?niet (?:meer|langer) vol\s*(?:[.!,;]|$)|\bik (?:wil|moet) (?:hier )?(?:er ?uit|weg),? (?:voorgoed|voor altijd)\b"
    r"|\bik wil er ?uit\s*(?:[.!,;]|$)",
    r"\bvoorgoed (?:weg|slapen|verdwijnen|rusten|gaan|ophouden)\s*(?:[.!,;]|$)",
    r"\been punt achter (?:mijn|het|dit) leven\b",
    r"\ber {_W}{0,2}?een (?:punt|streep) (?:achter|onder) (?:{_W})?(?:zetten|te zetten|zet|gezet|gaan zetten|zetten voorgoed)\s*(?:[.!,;]|$)",
    r"\bgeen zin meer in (?:het |mijn |dit |m'n )?(?:leven|bestaan)\b",
    r"\bheeft (?:het|mijn) leven (?:nog )?(?:wel )?zin\b",
    r"\blevensmoe\b",
    r"\bhet hoeft (?:voor mij |van mij |allemaal |echt )*niet meer(?: voor mij| van mij)?\s*(?:[.!,;]|$)",
    r"\b(?:ben|was) ik er (?:{_W}){0,1}?niet meer\b",
    r"\bik hoef (?:echt |gewoon )?niet meer\s*(?:[.!,;]|$)",
    r"\bzie het {_W}{0,2}?niet meer zitten\b",
    r"\b(?:nooit|niet) meer wakker (?:worden|te worden|word|werd|wordt)\b",
    r"\bhet leven moe\b",
    r"\bwil(?:de)? {_W}{0,2}?niet meer (?:leven|bestaan)\b",
    r"\b(?:mijn|het|dit) leven (?:heeft|is) {_W}{0,3}?(?:geen zin|zinloos|waardeloos|geen betekenis|geen waarde|geen nut)",
    r"\b(?:me|mij|mezelf|mijzelf) (?:op ?hangen|verdrinken|dood ?maken|doden)\b",
    r"\biets doms (?:ga |gaan |zal |te )?doen\b",
    r"\bweg uit (?:dit|het) leven\b|\bweg uit (?:alles|deze wereld|dit bestaan)\s*(?:[.!,;]|$)|\bweg (?:uit|van) (?:deze|de) (?:wereld|aarde)\b",
    # hedged and wished: "ik weet niet of ik nog wel wil leven", "ik hoop dat ik doodga", "mag ik dood"
    r"\b(?:weet|twijfel|vraag)\w* (?:{_W}){0,2}?(?:of|waarom) ik (?:nog )?(?:wel )?(?:langer )?(?:wil |kan |moet |zou )?(?:leven|doorgaan|verder wil|verder leven|wil blijven leven|blijven leven|hier wil zijn)\b(?! (?:in|op|met|bij|zonder|als|van|naar)\b)",
    r"\b(?:hoop|wens|bid|bad|hoopte|wenste)\w* (?!niet)(?:{_W}){0,2}?(?:dat ik|om) (?:{_W}){0,4}?(?:doodga|dood ga|dood ben|dood zal|sterf|doodgaan|te sterven|dood te gaan|niet meer wakker|niet meer leef|verongeluk|een ongeluk krijg|een ongeluk (?:zal |ga )?krijgen|onder een (?:auto|trein|bus|vrachtwagen))\b",
    rf"\bmag ik (?:alsjeblieft |gewoon |nu |eindelijk )?{DOOD}\b|\bmag ik (?:alsjeblieft |gewoon |nu |eindelijk )?sterven\b",
    r"\b(?:snap|begrijp|weet)\w* (?:{_W}){0,1}?niet (?:meer )?waarom ik (?:nog )?(?:leef|besta|hier ben|doorga|er (?:nog )?ben)\b|\bwaarom (?:leef|besta) ik (?:eigenlijk |nog |eigenlijk nog )*\s*(?:[.!,;?]|$)",
    r"\bmoe van (?:het|mijn|dit) (?:leven|bestaan)\b",
    rf"\b(?:wil|wou|wilde|wens|verlang|verlangen)\w* {{_W}}{{0,3}}?(?:bij|naar) (?:mijn|m'n) (?:overleden|dode|gestorven) (?:{{_W}})?(?:{RELATIVES})\b(?! (?:te |haar |zijn )?(?:graf|foto|urn|kerkhof|begraafplaats))",
    rf"\b(?:liefst|liever|beter) (?:ben|was|zou|zijn) ik {{_W}}{{0,1}}?{DOOD}\b|\bben ik (?:liever|het liefst|beter) {DOOD}\b",
    r"\b(?:leef|besta) (?:{_W}){0,1}?(?:liever|het liefst) niet (?:meer|langer)\b|\b(?:liever|liefst) niet meer (?:leven|bestaan|wakker)\b",
    r"\b(?:maakt|uitmaken|uit maakt) {_W}{0,2}?(?:niet|niks|niemand|geen mens) (?:{_W})?uit of ik (?:er )?(?:nog )?(?:ben|leef|besta|dood ben|er ben)\b",
    r"\bik hoef (?:het )?(?:echt |gewoon )?niet meer (?:zo )?nodig\s*(?:[.!,;]|$)",
    r"\b(?:rust|slapen|weg|stilte)\W+(?:voor altijd|voorgoed|eeuwig)\s*(?:[.!,;]|$)|\beeuwige (?:rust|slaap)\b",
    # a way to die: "ik zoek een manier om dood te gaan"
    r"\b(?:manier|manieren|methode|middel) (?:{_W}){0,1}?(?:om|hoe|waarop) (?:ik |je )?(?:{_W}){0,2}?(?:dood te gaan|te sterven|dood kan|zelfmoord|er een eind aan|een eind aan mijn leven|mezelf (?:te doden|van kant)|er ?uit te stappen|uit het leven)",
    r"\bpoging (?:tot|om) (?:zelfmoord|zelfdoding|er een eind|zichzelf|mezelf|mijzelf)\b|\b(?:heeft|heb|had) {_W}{0,1}?een poging (?:gedaan|ondernomen)\s*(?:[.!,;]|$)",
    r"\b(?:van|voor|onder) (?:een|de|het) (?:dak|flat|brug|trein|metro|balkon)\w* (?:af )?(?:te )?(?:springen|springt|spring)\b",
    r"\b(?:springen|spring) (?:van|voor|onder) (?:een|de|het)\b",
    r"\b(?:naar|op|bij|over) (?:de|het|een) (?:brug|flat|dak|spoor|rails|spoorbaan|viaduct|balkon|hoogbouw|torenflat)\w* {_W}{0,2}?(?:om )?(?:er ?af |ervan ?af |eraf |af |vanaf )?(?:te )?(?:springen|spring|gooien)\b",
    r"\b(?:ga|gaat|wil|zal) (?:nu |straks |zo |gewoon )?springen\s*(?:[.!,;]|$)",
    r"\bik (?:wil|kan) (?:echt |gewoon |zo |zo echt )?niet meer verder\b(?! (?:met|in|op|bij|als) )",
    r"\bik wil (?:echt |gewoon )?niet meer\s*(?:[.!,;]|$)",
    r"\b(?:wil|kan) ik (?:echt |gewoon |eigenlijk |gewoonweg |ook |nu |soms |zo )*niet meer\s*(?:[.!,;]|$)",
    r"\b(?:beter|fijner|liefst|liever|makkelijker) (?:is |zou zijn |lijkt |was )?(?:{_W})?om (?:{_W})?(?:dood te gaan|te sterven|dood te zijn|er niet meer te zijn|niet meer te leven|niet meer wakker te worden)\b",
    r"\b(?:weg|verdwijnen|gaan|vertrekken) (?:{_W}){0,1}?en (?:nooit|niet) meer (?:terug ?komen|terugkomen|terugkeren|terug|wakker worden)\b",
    r"\b(?:maakt|boeit|kan) (?:{_W}){0,2}?(?:niemand|niet|niks|geen mens|geen hond) (?:{_W})?(?:uit|schelen|boeien) (?:of|als|wanneer|dat) ik (?:{_W}){0,2}?(?:verdwijn|weg ben|weg ga|dood ben|doodga|dood ga|er niet (?:meer )?ben|besta|leef)\b",
    r"\b(?:stoppen|ophouden|kappen)\W+met (?:leven|ademen|bestaan)\b|\bmet het leven (?:stoppen|ophouden|kappen)\b",
    Rule(r"\bzelfmoord\w*|\bzelfdoding\w*|\bsuicid\w*|\bsuizid\w*", topic=True),
    r"\b(?:wanna|want to|going to|gonna|wil) (?:die|end it|kms|kill myself)\b(?! (?:of|from|laughing|laughter|for|with)\b)|\bkms\b|\bend it all\b|\bend my life\b",
    r"\b(?:stop|stoppen|ophouden|hou op|kappen|kap)\b(?: {_W}{0,2}?)\W*met (?:leven|ademen|bestaan|het leven)\b",
    r"\b(?:beter|liever|wou|wens|had ik maar|was ik maar) (?:{_W}){0,3}?(?:niet|nooit) geboren\b",
    r"\bklaar mee\W+met alles(?: en iedereen)?\s*(?:[.!,;]|$)",
    # how to die: "hoe hoog moet een brug zijn om dood te gaan"
    r"\b(?:hoe|hoeveel|welke|wat|waar)\b[^.?!]{0,40}?\bom (?:{_W})?(?:dood te gaan|te sterven|er een eind aan te maken|zelfmoord te plegen|niet meer wakker te worden|mezelf te doden|mezelf op te hangen)\b",
    r"\b(?:het|mijn|dit) (?:leven|bestaan) (?:is|lijkt|voelt) {_W}{0,2}?(?:niet|niks|geen) (?:meer )?(?:de moeite|waard|moeite waard)\b",
    r"\b(?:niks|niets|niemand|geen reden|geen enkele reden) (?:meer )?(?:om|waarvoor) (?:voor )?(?:te leven|ik leef|ik nog leef|nog te leven)\b|\b(?:niks|niets) meer om voor te leven\b",
    r"\bniemand die (?:me|mij) {_W}{0,1}?(?:zou|zal|gaat) missen\b|\bniemand die (?:me|mij) {_W}{0,1}?zou missen\b",
    r"\bkill (?:my|him|her)self\b|\bwant to die\b(?! (?:of|from|laughing|laughter|for)\b)|\bend (?:my|his|her) life\b|\bhurt (?:my|him|her)self\b",
]

ZELFBESCHADIGING = [
    # "ik snij mezelf", "ik brand me met sigaretten", "ik sloeg mezelf tot ik blauwe plekken had"
    Rule(
        rf"\b{_HARM_CUT} (?:{{_W}}){{0,2}}?{_REFL}\b(?! (?:vast|af|aan|op|neer|bij|erbij|erdoor|voor))",
        veto=_ACCIDENT,
        harm_to_me=True,
    ),
    Rule(rf"\b{_HARM_HIT} (?:{{_W}}){{0,2}}?(?:mezelf|mijzelf)\b", veto=_ACCIDENT),
    # "ik heb mezelf weer gesneden", "de drang om me te krassen"
    Rule(rf"\b{_REFL} (?:{{_W}}){{0,3}}?{_HARM_CUT}\b", veto=_ACCIDENT, harm_to_me=True),
    Rule(rf"\b(?:mezelf|mijzelf) (?:{{_W}}){{0,3}}?{_HARM_HIT}\b", veto=_ACCIDENT),
    # verb-second and body parts: "als ik me rot voel snij ik in mijn arm", "ik kras met een mes in mijn benen"
    Rule(rf"\b{_HARM} (?:{{_W}}){{0,4}}?(?:in|op) (?:mijn|zijn|haar) (?:eigen )?{_BODY}\b", veto=_ACCIDENT),
    Rule(rf"\b{_HARM_CUT} (?:{{_W}}){{0,1}}?(?:mijn|zijn|haar) (?:eigen )?{_BODY}\b", veto=_ACCIDENT),
    Rule(
        rf"\b(?:mijn|zijn|haar) {_BODY} (?:(?!vol |met ){{_W}}){{0,2}}?(?:open|kapot)?{_HARM_DONE}\b",
        veto=_ACCIDENT,
    ),
    r"\bmijn (?:pols|polsen|armen|arm) {_W}{0,2}?(?:doorgesneden|opengesneden|gesneden|snijden|opensnijden|opengekrast)",
    # "ik doe mezelf pijn", "ik heb mezelf pijn gedaan", "ik beschadig mezelf"
    Rule(
        r"\b(?:doe|doet|deed|deden|gedaan|doen) (?:{_W}){0,2}?(?:mezelf|mijzelf) (?:{_W}){0,2}?(?:pijn|zeer|kwaad)\b",
        veto=r"\baan (?:de|het|een|mijn) |per ongeluk|\bniet\b|\bnooit\b",
        harm_to_me=True,
    ),
    r"\b(?:mezelf|mijzelf) {_W}{0,2}?(?:pijn|zeer|kwaad|schade|iets|wat) (?:gedaan|doe|deed|aangedaan|aandoe|aandeed|toebreng|toegebracht)\b",
    # "ik bonk met mijn hoofd tegen de muur", "ik sla mijn hoofd tegen de muur tot het bloedt"
    r"\b(?:bonk|bonkt|bonkte|gebonkt|bonken|beuk|beukte|beuken|sla|sloeg|slaan|geslagen|ram|ramde|rammen) {_W}{0,2}?(?:met )?mijn (?:hoofd|kop) {_W}{0,2}?tegen\b",
    # "tot het bloedt", "tot ik blauwe plekken heb" after oneself
    r"\b(?:mezelf|mijzelf|me|mij|mijn) {_W}{0,5}?tot (?:het|ik|ze|die|er) {_W}{0,1}?(?:bloedt|bloed|bloedde|bloeden|blauw|blauwe plekken|littekens)\b",
    r"\b(?:mezelf|mijzelf) {_W}{0,2}?(?:blauwe plekken|wonden|littekens|brandwonden)\b",
    rf"\b{_HARM_CUT} (?:{{_W}}){{0,4}}?(?:tot|dat|totdat|zodat) (?:het|ik|er) (?:{{_W}})?(?:bloedt|bloedde|bloed|bloeden|ging bloeden)\b",
    r"\bom (?:mezelf|mijzelf|me) te (?:straffen|pijnigen|voelen)\b",
    # a body part of mine left damaged: "ik krab mijn armen kapot", "mijn benen zijn kapot gekrast"
    Rule(
        rf"\b(?:krab|krabt|krabde|krabben|kras|krast|kraste|snij|snijd|sneed|sla|sloeg|bijt|beet|brand|brandde)\w* (?:{{_W}}){{0,3}}?(?:mijn|m'n|zijn|haar) {_BODY} (?:{{_W}})?(?:kapot|open|stuk|bloedend|vol wonden)\b",
        veto=r"\bjeuk\w*|eczeem|muggen\w*|allergie|uitslag|netelroos|waterpokken|\bvan (?:de|het) (?:jeuk|droogte|kou)",
    ),
    r"\btot bloedens toe\b",
    # "ik heb sneetjes in mijn pols gemaakt": wounds made, not got
    rf"\b(?:sneetjes|sneden|snijwonden|krassen|wondjes|wonden|brandwonden|brandplekken) (?:{{_W}}){{0,1}}?(?:in|op) (?:mijn|m'n|zijn|haar) (?:eigen )?{_BODY} (?:{{_W}})?(?:gemaakt|gezet|aangebracht|maken|zetten|maak|zet)\b",
    r"\b(?:ik|me|mezelf|mijzelf) (?:{_W}){0,6}?(?:tot|totdat|zodat) (?:mijn|m'n) (?:{_W})?(?:\w+) (?:{_W})?(?:bloeden|bloedt|bloedden|bloedde|openliggen|kapot zijn)\b",
    rf"\b(?:sigaret|sigaretten|peuk|peuken|aansteker|lucifer|lucifers|strijkijzer|krultang|kaars|vlam) (?:{{_W}}){{0,4}}?(?:op|in|tegen|over) (?:mijn|m'n|zijn|haar) (?:{_BODY}|hand|handen)\b",
    Rule(
        rf"\b(?:mijn|m'n|zijn|haar) {_BODY} (?:{{_W}}){{0,2}}?(?:vol|met|onder(?: de)?) (?:sneetjes|sneden|snijwonden|krassen|wonden|brandwonden|littekens|blauwe plekken)\b",
        veto=r"\b(?:van|door|na|bij) (?:het|de|een|mijn) (?!snijden|krassen|branden)\w+",
    ),
    r"\bdie ik (?:bij )?(?:mezelf |mijzelf )?(?:zelf )?(?:heb |had )?(?:gemaakt|aangebracht|gedaan|toegebracht)\b",
    r"\b(?:mijn|m'n) (?:hoofd|kop|vuist|vuisten) (?:{_W}){0,2}?tegen (?:de|een|het) (?:muur|deur|kast|wand) (?:{_W})?(?:geslagen|gebonkt|gebeukt|gestompt|slaan|bonken|beuken|geramd|rammen)\b",
    r"\b(?:sla|sloeg|slaan|stomp|stompte|bonk|bonkte|beuk|beukte|ram|ramde|timmer|timmerde) {_W}{0,3}?(?:mijn |m'n )?(?:vuist|vuisten|hoofd|kop|handen|hand) {_W}{0,2}?tegen (?:de|een|het) (?:muur|deur|kast|wand|tafel)\b"
    r"|\b(?:sla|sloeg|slaan|stomp|stompte|bonk|bonkte|beuk|beukte|ram|ramde|timmer|timmerde) {_W}{0,1}?met (?:mijn |m'n )?(?:vuist|vuisten|hoofd|kop|handen|hand) {_W}{0,2}?tegen (?:de|een|het) (?:muur|deur|kast|wand)\b",
    r"\b(?:sneed|kraste|sneden|krasten|snijden|krassen|kerven|kerfde) {_W}{0,4}?(?:doe ik het weer|ik doe het weer|ben ik weer begonnen|weer begonnen|doe ik het nog steeds)\b",
    r"\b(?:vond|vind|gevonden|ontdekt|ontdekte) {_W}{0,2}?(?:scheer)?mesjes\b|\b(?:doos|la|zakje|bakje|voorraad) (?:met|vol) (?:scheer)?mesjes\b|\b(?:scheer)?mesjes {_W}{0,3}?(?:onder|in) (?:mijn|m'n) (?:bed|kamer|kast|la|matras|tas)\b",
    rf"\b(?:expres|express|met opzet|bewust|opzettelijk|expers)\b[^.?!]{{0,40}}?\b(?:stoot|stootte|sla|sloeg|bonk|bonkte|beuk|beukte|ram|ramde|snij|snijd|sneed|kras|kraste|brand|brandde|bijt|beet|krab|krabde|prik|prikte|knijp|kneep|stomp|stompte|val|viel|pijn|verwond|verwondde|gestoten|geslagen|gesneden|gekrast|gebrand|gebeten|gekrabd|geprikt|gevallen)\b[^.?!]{{0,30}}?\b(?:mezelf|mijzelf|mijn (?:{_BODY[3:-1]}|hand|handen|hoofd|kop|vuist|vuisten|vinger|vingers|huid|nagels))\b"
    rf"|\b(?:mezelf|mijzelf|mijn (?:{_BODY[3:-1]}|hand|handen|hoofd|kop|vuist|vuisten|vinger|vingers|huid))\b[^.?!]{{0,40}}?\b(?:expres|express|met opzet|opzettelijk)\b",
    r"\b(?:stoot|stootte|sla|sloeg|bonk|bonkte|beuk|beukte|ram|ramde|snij|snijd|sneed|kras|kraste|brand|brandde|bijt|beet|krab|krabde|prik|prikte|knijp|kneep|stomp|stompte|timmer|timmerde|gooi|gooide)"
    r" (?:expres|express|met opzet|bewust|opzettelijk|expers) (?:{_W}){0,1}?(?:mezelf|mijzelf|me|mijn|m'n)\b",
    Rule(
        r"\b(?:sla|sloeg|slaan|stomp|stompte|bonk|bonkte|beuk|beukte|ram|ramde|timmer|timmerde|mep|mepte) {_W}{0,1}?(?:met )?(?:mijn |m'n )?(?:vuist|vuisten|handen|hand) {_W}{0,1}?(?:tegen|op|in) (?:mijn|m'n) (?:eigen )?(?:hoofd|kop|gezicht|buik|benen|armen|lijf|lichaam|borst|dijen|slapen)\b",
        veto=_ACCIDENT,
    ),
    rf"\b(?:sneetjes|sneden|snijwonden|krassen|wondjes|wonden|brandwonden|brandplekken) (?:gemaakt|gezet|aangebracht|maak|zet) (?:in|op) (?:mijn|m'n|zijn|haar) (?:eigen )?{_BODY}\b",
    Rule(
        rf"\b(?:mijn|m'n) {_BODY}\b[^.?!]{{0,25}}?\bmet (?:een |het |mijn )?(?:mesje|scheermesje|scheermesjes|stukje glas|glasscherf|scherf|naald|passer|breekmes|stanleymes)\b",
        veto=r"\bscheer|\bscheren|\bontha|geschoren|\bprik|tatoe|\bper ongeluk",
    ),
    r"\b(?:weer|opnieuw) {_W}{0,1}?(?:gaan |begonnen met |aan het )?(?:snijden|krassen|kerven)\s*(?:[.!,;]|$|en |want |omdat |als )",
    r"\b(?:gestopt|stoppen|stop|begonnen|beginnen|terugval|drang|behoefte|neiging|verslaafd|zin|trek|zucht|hunker|verlang) {_W}{0,1}?(?:met|om te|tot|aan|in|naar) (?:het )?(?:snijden|krassen|kerven|zelfbeschadiging)\b",
    r"\blittekens {_W}{0,1}?(?:op|van) (?:mijn )?(?:armen|polsen|benen|dijen|het snijden|het krassen)\b",
    r"\b(?:scheermesjes|mesjes|scheermesje|mesje) {_W}{0,2}?(?:verstopt|gekocht|bewaard|gebruikt|gepakt)\b",
    r"\b(?:verstop|verstopt|verstopte|verberg|verbergt|verborgen) {_W}{0,2}?(?:scheermesjes|mesjes|scheermesje|mesje)\b",
    r"\bzelfbeschadig\w*|\bzelfverwond\w*|\bautomutil\w*|\bself ?harm\w*|\bcutten\b",
    r"\bsnijwonden {_W}{0,1}?(?:gemaakt|op mijn|in mijn)\b",
]

# Medicines kept for an ordinary reason: a trip, a prescription, enough at home.
_TRIP = (
    r"\bvoor (?:de|een|mijn|onze|het) (?:vakantie|reis|weekend|zomer|verhuizing|logeerpartij)\b|\bop (?:vakantie|reis)\b|"
    r"\bzodat ik (?:\w+ )?genoeg\b|apotheek|\brecept\b|\bvoorraad voor\b"
)

VOORBEREIDING = [
    Rule(
        r"\b(?:pillen|tabletten|medicijnen|medicatie|slaappillen|slaapmiddelen|pijnstillers|paracetamol|oxazepam|temazepam)"
        r" {_W}{0,3}?(?:aan het )?(?:sparen|gespaard|verzamelen|verzameld|opgespaard|hamsteren|gehamsterd|verstopt|verstop|ingeslagen|bij elkaar gelegd|bij elkaar gezocht|bij elkaar gespaard|bijeengelegd|opgestapeld|opgepot)\b",
        veto=_TRIP,
    ),
    Rule(
        r"\b(?:spaar|spaart|verzamel|verzamelt|hamster|hamstert|verstop|verstopt|sparen|verzamelen) {_W}{0,3}?(?:pillen|tabletten|medicijnen|slaappillen|pijnstillers)\b",
        veto=_TRIP,
    ),
    r"\bgenoeg (?:pillen|tabletten|medicijnen|slaappillen|pijnstillers) {_W}{0,3}?(?:om|voor|in huis|verzameld|gespaard)\b",
    Rule(
        r"\b(?:pillen|tabletten|medicijnen|slaappillen|slaapmiddelen|pijnstillers) {_W}{0,2}?(?:al )?(?:klaarliggen|klaar liggen|klaarliggend|klaar|klaargelegd|klaargezet|klaarstaan)\b",
        veto=r"\bvoor (?:de|deze|morgen|vanavond|het|mijn (?:reis|vakantie))\b|weekdoos|pillendoos|baxter|doosje|\bin (?:de|het|een) (?:doos|doosje|bakje)",
    ),
    r"\b(?:bedacht|besloten|weet|uitgezocht|gepland|gekozen|uitgedacht) {_W}{0,2}?(?:hoe en wanneer|waar en wanneer|waar en hoe|wanneer en hoe|hoe en waar|wanneer en waar)\s*(?:[.!,;]|$)",
    r"\b(?:brief|brieven|briefje) {_W}{0,2}?voor (?:iedereen|mijn nabestaanden|de nabestaanden|de mensen die achterblijven|als ik dood ben|na mijn dood)\b",
    r"\b(?:geregeld|geschreven|klaar|geregeld|opgeschreven|geordend) (?:{_W}){0,2}?(?:voor )?na mijn dood\b",
    r"\b(?:alle|al mijn|al de|genoeg|stiekem|een voorraad|een hoop|veel) (?:pillen|tabletten|medicijnen|slaappillen|slaapmiddelen|pijnstillers)"
    r" {_W}{0,5}?(?:bewaard|opzij gelegd|opzijgelegd|achtergehouden|apart gehouden|apart gelegd|verstopt|opgespaard|gespaard)\b",
    r"\b(?:hoeveel|welke) (?:pillen|tabletten|medicijnen|slaappillen|pijnstillers|paracetamol) {_W}{0,4}?(?:dodelijk|nodig om|genoeg om)\b|\bdodelijke (?:dosis|hoeveelheid)\b",
    Rule(
        r"\b(?:een |het )?(?:touw|strop) {_W}{0,4}?(?:gekocht|gehaald|besteld|klaar|klaarliggen|klaar liggen|klaarligt|klaarlag|klaargelegd|klaarhangen|klaarhangt|klaar hangen|klaarstaan|opgehangen|gehangen|vastgemaakt|vastgeknoopt|geknoopt|gemaakt|gelegd|verstopt|liggen|ligt|hangt|hangen)\b",
        veto=r"\b(?:waslijn|tent|boot|tuin|schommel|klim|springtouw|knutsel|hobby|zeil|verhuis|hond|paard|kerstboom|om de|padvind|scouting|knoop|knopen)",
    ),
    r"\b(?:gif|rattengif|gas) {_W}{0,2}?(?:gekocht|besteld|klaar|opengedraaid|open gedraaid)\b",
    # a plan: "ik heb al uitgezocht hoe ik het ga doen", "ik weet precies hoe ik het wil doen"
    r"\b(?:uitgezocht|opgezocht|bedacht|uitgedacht|gepland|uitgestippeld|besloten|weet (?:al|nu|precies|allang)) {_W}{0,2}?(?:hoe|wanneer|waar) ik (?:het|er|mezelf|me) {_W}{0,1}?(?:ga|zal|wil|moet|ga gaan) (?:doen|gaan doen)\s*(?:[.!,;]|$|en |want |omdat )",
    r"\bhoe ik (?:er|mezelf|het) (?:een eind aan|uit|van kant|dood)\b",
    r"\b(?:welke|waar (?:de|het)) (?:trein|brug|flat|toren|gebouw|spoorlijn)\w* {_W}{0,3}?(?:het )?(?:hardst|snelst|hoogst|hoogste|snelste|hardste)\b",
    r"\b(?:ga|gaat|loop|fiets|wil|rij) {_W}{0,2}?naar het spoor\s*(?:[.!,;]|$)|\bop het spoor (?:gaan |te )?(?:liggen|staan|zitten)\b",
    r"\b(?:pillen|tabletten|medicijnen|slaappillen|touw|strop|mes|mesje|scheermesjes) [^.?!]{0,30}?voor als (?:het|ik) (?:{_W}){0,2}?(?:niet meer (?:gaat|kan|wil|lukt)|het niet meer trek|er klaar mee ben|het zat ben)\b",
    r"\b(?:opgezocht|uitgezocht|bekeken|nagekeken) {_W}{0,2}?(?:hoe hoog (?:de|het|een|die) (?:flat|brug|gebouw|dak|toren)|welke (?:brug|flat|trein|spoorlijn|pillen))\b",
    Rule(
        r"\b(?:iedereen|jullie|mijn familie|mijn kinderen|allemaal|mijn ouders) {_W}{0,1}?een laatste (?:bericht|berichtje|brief|briefje|appje|groet)\b|\blaatste (?:berichtje|appje|briefje|brief|brieven|bericht|woorden) {_W}{0,2}?(?:gestuurd|achtergelaten|geschreven|klaargelegd|neergelegd|opgeschreven)\s*(?:[.!,;]|$|voor )",
        veto=r"\bover\b|\b(?:voor|van|aan) (?:de|het|mijn|een) (?:club|vereniging|koor|werk|school|verhuizing|vakantie|gemeente|baas|bank|verzekering|krant|rechter|advocaat|huisbaas|woningcorporatie)",
    ),
    Rule(
        r"\bmijn afscheid (?:is |heb ik )?(?:al )?(?:geregeld|voorbereid|gepland|klaar)\b",
        veto=r"\bvan (?:het|mijn|de) \w+|receptie|feest|pensioen",
    ),
    r"\b(?:een|de) (?:datum|dag) (?:al )?(?:gekozen|geprikt|uitgekozen|bepaald|vastgesteld)\s*(?:[.!,;]|$)",
    r"\b(?:een )?plan {_W}{0,2}?(?:om|hoe) (?:{_W}){0,3}?(?:dood|eind|leven te|mezelf|er niet meer)\b",
    # farewell: a letter, saying goodbye for good
    r"\bafscheidsbrie[fv]\w*|\bafscheidsbericht\w*|\bafscheidsvideo\w*",
    r"\b(?:brief|brieven|briefje|bericht|berichtje|video|laatste brief) {_W}{0,4}?(?:voor als ik|om afscheid te nemen|als afscheid|voor na mijn dood|voor mijn nabestaanden)\b",
    r"\bafscheid (?:genomen|nemen|te nemen|neem) van (?:iedereen|het leven|de wereld|alles en iedereen)\b",
    r"\biedereen (?:al )?(?:gedag|vaarwel|dag) gezegd\b",
    # giving things away
    Rule(
        r"\b(?:alles|alles wat ik (?:had|heb|bezit)|(?:al |alle )?(?:mijn|zijn|haar) (?:spullen|bezittingen|dingen|kleren|kleding|sieraden|boeken|spaargeld|geld|huisdieren|kat|katten|hond|honden|planten|meubels|games|knuffels|spullen))"
        r" {_W}{0,3}?(?:weggegeven|weg gegeven|weggeven|weg te geven|verdeeld|weggedaan|weg gedaan|uitgedeeld|verschonken|weggeschonken|ondergebracht|herplaatst)\b",
        veto=r"kringloop|verhuis|opruim|goede doel|marktplaats|verkocht|\bomdat\b|zolder|te klein|tweedehands",
    ),
    Rule(
        r"\b(?:geef|geeft|gaf|gaven|deel|deelt|verdeel|verdeelt) (?:al |alle )?(?:mijn|zijn|haar) (?:spullen|bezittingen|dingen|kleren|kleding|sieraden|spaargeld|geld|huisdieren|kat|katten|hond|honden|knuffels) {_W}{0,2}?(?:weg|uit)\b",
        veto=r"kringloop|verhuis|opruim|goede doel|marktplaats|verkocht|zolder|te klein|tweedehands|allergisch|emigr|kleiner (?:gaan )?wonen|verzorgingshuis|verpleeghuis|\bnieuwe\b",
    ),
    # a will and affairs put in order as a goodbye, a place picked out, "ik ben er straks toch niet meer"
    Rule(
        r"\btestament (?:{_W}){0,2}?(?:gemaakt|geschreven|opgesteld|klaar|geregeld)\b[^.?!]{0,40}?\b(?:alles (?:al )?geregeld|afscheid|niet meer nodig|er (?:straks |toch )*niet meer)\b",
        veto=r"notaris|\bomdat\b|\boud\b|pensioen|verstandig",
    ),
    Rule(
        r"\b(?:plek|plekje|plaats|stuk) {_W}{0,3}?(?:bij|aan|op|onder|naast) (?:het|de|een) (?:spoor|rails|spoorlijn|brug|flat|dak|viaduct|water|kanaal|rivier)\b {_W}{0,2}?(?:uitgezocht|uitgekozen|gekozen|gevonden|bekeken|verkend)\b"
        r"|\b(?:uitgezocht|uitgekozen|gekozen|gevonden|verkend) {_W}{0,3}?(?:plek|plekje|plaats) {_W}{0,1}?(?:bij|aan|op|onder) (?:het|de|een) (?:spoor|rails|spoorlijn|brug|flat|dak|viaduct)\b",
        veto=r"foto|picknick|wandel|\bvis|hengel|feest|camping|vakantie|\bom (?:te )?(?:vissen|wandelen|fotograferen|zitten|zwemmen|eten|parkeren)",
    ),
    Rule(
        r"\b(?:ik ben|ben ik) er (?:straks |binnenkort |toch |snel |zo |morgen |vanavond )+(?:toch )?niet meer\b",
        veto=r"vakantie|verhuis|\bweg (?:uit|naar|van)|\bnaar (?!de hemel)|\bop reis|werk|\bbaan\b|school|\bvertrek|ontslag|\bclub\b|vereniging|\bmet pensioen",
    ),
    r"\b(?:ik|ze|die|dat|het|dit) {_W}{0,2}?(?:straks|binnenkort|toch) (?:toch |straks )?niet meer nodig\b(?! (?:want ik|omdat ik) (?:heb|koop|krijg|ga verhuizen))",
    r"\balles (?:is |al )?(?:geregeld|geregeld en klaar|opgeruimd|klaar) voor (?:als|wanneer|na) ik (?:er niet meer|dood|weg|overleden)\b",
]

INDIRECT = [
    r"\bbeter af (?:zijn |wezen |is |zou zijn |zouden zijn )?zonder (?:mij|me|hem|haar)\b|\bbeter (?:als|dat) ik {_W}{0,1}?(?:dood|weg) (?:ben|was|ga|zou zijn)\b",
    r"\bbeter af (?:als|wanneer|zodra|nadat) ik\b",
    r"\b(?:beter|fijner|makkelijker|gelukkiger|rustiger) {_W}{0,4}?(?:als|dat|wanneer) ik er (?:gewoon )?niet (?:meer )?(?:was|ben|zou zijn|meer ben)\b",
    r"\bbeter {_W}{0,3}?(?:als|dat) ik (?:verdwijn|verdwenen ben|weg ben|wegga|er niet ben|dood ben|doodga|dood ga|er niet meer ben|niet meer leef|niet besta)\b",
    r"\b(?:wil|wou|moet|ga) {_W}{0,2}?uit (?:dit|het) leven\b",
    r"\ber {_W}{0,1}?nooit meer (?:zijn|wezen|te zijn)\b|\bogen (?:dicht ?doen|dichtdoen|sluiten|dicht) en (?:nooit|niet) meer\b",
    r"\bzonder (?:mij|me) (?:zijn|is|zou|zouden|wordt|worden|zal|zullen|gaat|heeft|hebben) {_W}{0,2}?(?:beter|gelukkiger|makkelijker|rustiger|beter af)\b",
    r"\b(?:niemand|geen mens|geen hond|geen kip|niemand ter wereld) {_W}{0,2}?(?:zal|zou|gaat|zullen|zouden) (?:me|mij|hem|haar) {_W}{0,2}?(?:missen|mis)\b",
    r"\b(?:niemand|geen mens) (?:me|mij|hem|haar) {_W}{0,1}?(?:zal|zou|gaat|zullen) {_W}{0,1}?missen\b",
    r"\b(?:me|mij) {_W}{0,2}?(?:missen|mist|missen) (?:als|wanneer|zodra) ik {_W}{0,2}?(?:weg|dood|er niet|verdwenen|er niet meer)\b",
    r"\b(?:niemand|geen mens) {_W}{0,2}?(?:zal|zou|gaat) (?:het )?(?:merken|opvallen|erg vinden) (?:als|wanneer|dat) ik (?:er )?{_W}{0,1}?(?:niet meer|weg|dood|verdwijn|verdwenen)\b",
    Rule(
        r"\bik ben {_W}{0,3}?(?:een last|tot last|een blok aan het been|een molensteen|een lastpost)\b",
        veto=r"\bniet\b|\bgeen\b|\bvoor niemand\b|\bniemand tot last\b|\bvoor mezelf met\b|\bkwijt\b|\bvan (?:mijn|m'n) (?:schouders|hart)\b|\bmet (?:al )?(?:die|mijn|dat|dit|de|het) (?!leven)\w+",
    ),
    Rule(
        r"\b(?:ik voel|voel ik) (?:me|mij) {_W}{0,2}?(?:een last|tot last|een blok aan het been)\b",
        veto=r"\bniet\b",
    ),
    Rule(
        r"\b(?:wil|wou|zou willen|wens|wilde) {_W}{0,3}?(?:verdwijnen|oplossen in het niets|in het niets oplossen)\b",
        veto=r"\beven\b|weekend|vakantie|\bonder (?:de|een|mijn)\b|\bin (?:een|mijn|de|het|m'n) (?:goed |mooi |dik |warm )?(?:boek|film|serie|bad|bed|tuin|natuur|bos|muziek|menigte|grond|hobby|werk|spel|game)\b|\bnaar (?!het niets)|uit de (?:stad|drukte)|een tijdje|dekentje|\bbed\b|\bdag\b|\bhuis\b|\buit (?:deze|die|dat|dit|de|het) (?:wijk|stad|buurt|straat|baan|groep|app|club)",
    ),
    Rule(
        r"\b(?:prik|prikt|prikte|geprikt) (?:{_W}){0,1}?(?:mezelf|mijzelf|me) (?:{_W}){0,2}?(?:met (?:naalden|een naald|spelden|een speld|een passer|een mes|een schaar|punaises)|tot (?:het|ik) bloed)",
        veto=r"insuline|suiker|diabet|bloedsuiker|\bspuit|vaccin|acupunct|\bvinger",
    ),
    Rule(
        r"\b(?:klaargezet|klaargelegd|klaar gelegd|klaar gezet|klaarliggen|klaar liggen)\b[^.?!]{0,40}?\b(?:pillen|tabletten|slaappillen|touw|strop|afscheidsbrief|mes|mesjes|scheermesjes)\b",
        veto=r"feest|taart|weekdoos|baxter|school|reis|vakantie|koken|\beten\b|apotheek|\bkeuken",
    ),
    r"\bnooit (?:{_W}){0,1}?geboren\b|\bhad ik (?:maar )?nooit (?:bestaan|geleefd)\b",
    r"\b(?:voor altijd|eeuwig) (?:gaan |wil(?:len)? )?(?:slapen|rusten|weg)\b",
    r"\b(?:het|mijn|dit) (?:leven|bestaan) (?:is|voelt) {_W}{0,2}?(?:ondraaglijk|niet meer te dragen|een hel|zinloos|niks meer waard)\b",
    r"\b(?:heeft|is) {_W}{0,2}?(?:allemaal|alles) {_W}{0,1}?(?:geen zin meer|zinloos|geen nut meer)\b",
    r"\b(?:alles|niks|niets) {_W}{0,1}?(?:heeft|is) {_W}{0,2}?(?:geen zin meer|zinloos|nog zin|meer zin)\b",
    r"\bwat heeft (?:het leven|het allemaal|mijn leven|leven) (?:nog )?(?:voor )?(?:zin|nut)\b",
    Rule(
        r"\bik zie {_W}{0,2}?geen toekomst (?:meer)?",
        veto=r"\b(?:in|voor|door|met|bij|op|van) (?:deze|die|dit|mijn|het|de|dat|ons|onze|een|m'n) (?!leven)",
    ),
    r"\bgeen (?:reden|zin|nut) (?:meer )?(?:om|waarom) (?:{_W}){0,2}?(?:te leven|door te gaan|verder te gaan|te bestaan|nog te leven|op te staan|te blijven leven)\b",
    r"\bwaarom (?:zou ik|moet ik|leef ik|ben ik) (?:{_W}){0,1}?(?:nog )?(?:leven|doorgaan|door gaan|verder gaan|verder|er nog|hier nog)\b",
    r"\bklaar met (?:het |mijn |dit )?leven\b|\b(?:het|dit) leven (?:{_W})?(?:zat|beu)\b",
    r"\bniet meer (?:hier|op aarde|op deze wereld|op de wereld|in deze wereld) (?:zijn|wezen|leven|willen zijn)\b",
    r"\bwil(?:de)? {_W}{0,1}?(?:hier )?niet meer (?:hier |op (?:deze |de )?(?:aarde|wereld) |in (?:deze|de) wereld )?(?:zijn|wezen)\b",
    r"\b(?:wil|wou|wilde) {_W}{0,3}?(?:bij|naar) {_W}{0,3}?in de hemel\b",
    r"\beruit (?:te )?stappen\s*(?:[.!,;]|$)",
]

# Someone else's life, phrased so that it cannot be about the resident.
NAASTE = [
    r"\bzichzelf {_W}{0,3}?(?:iets|wat|pijn|kwaad) (?:aan te doen|aandoen|aandoet|te doen|doet|doen|gedaan|aangedaan)\b",
    rf"\bzichzelf (?:{{_W}}){{0,3}}?{_HARM}\b",
    r"\bzichzelf {_W}{0,3}?(?:doden|dood maken|ombrengen|ophangen|snijden|krassen|verwonden|beschadigen|"
    r"van kant|gesneden|gekrast|verwond|beschadigd|gebrand|geslagen|branden|slaan|kerven|gekerfd|pijnigen|gepijnigd)\b",
    Rule(rf"\b{_HARM} (?:{{_W}}){{0,2}}?zichzelf\b", veto=_ACCIDENT),
    Rule(r"\b(?:snijdt|krast|kerft|snijden|krassen) (?:zich|zichzelf)\b", veto=_ACCIDENT),
    r"\b(?:doet|deed|heeft) zichzelf (?:{_W}){0,1}?(?:pijn|iets aan|wat aan|kwaad)\b",
    r"\bzich (?:iets|wat) (?:aan te doen|aandoen|aandoet|aangedaan)\b",
    Rule(
        r"\bzich {_W}{0,2}?(?:ophangen|op te hangen|opgehangen|van kant (?:te )?maken|van kant gemaakt|doden|dood (?:te )?maken|doodmaken|verdrinken|vergiftigen|"
        r"van het leven (?:te )?beroven|voor de trein (?:te )?gooien|snijden|te snijden|krassen|te krassen)\b",
        veto=rf"\bin (?:de|die|een|het|dat|deze) {MEDIA}\b",
    ),
    r"\b(?:hij|zij|ze) {_W}{0,2}?(?:wil|wilt|wou) {_W}{0,2}?(?:dood|niet meer leven|er niet meer zijn|sterven)\b",
    r"\b(?:praat|praten|heeft het|hebben het|begint|schrijft|denkt|dreigt|appt|appte|post|zegt) {_W}{0,2}?(?:over|aan|met) "
    r"(?:zelfmoord|zelfdoding|dood ?gaan|sterven|er een eind aan|een eind aan)",
]

ACUUT_GEVAAR = [
    r"\b(?:te ?veel|teveel|al (?:mijn|de|zijn|haar)|alle|een hele? (?:doos|strip|pot|pak)|\d{2,}|tientallen|een heleboel|heel veel|tien|vijftien|twintig|dertig|veertig|vijftig|zestig|honderd|"
    r"(?:twee|drie|vier|vijf|\d) (?:strips|doosjes|dozen|potjes|potten)) {_W}{0,2}?"
    r"(?:pillen|pil|tabletten|medicijnen|medicatie|slaappillen|pijnstillers|paracetamol|oxazepam)\b"
    r"[^.?!]{0,25}?\b(?:genomen|ingenomen|geslikt|opgeslikt|doorgeslikt|ingeslikt|weggeslikt|op|slikt|gebruikt|opgegeten)\b",
    r"\boverdosis\b",
    rf"\b(?:hij|zij|ze|iemand|ik|(?:mijn|m'n) (?:{{_W}})?(?:{RELATIVES})) (?:{{_W}})?(?:is|heeft|ben|zijn) (?:net |zojuist |nu |daarnet |net echt )?(?:van|voor|onder|uit) (?:het|de|een) (?:balkon|dak|brug|flat|trein|raam|metro|viaduct|galerij)\w* (?:af )?(?:gesprongen|gevallen|gegooid|gesprongen)\b",
    rf"\b(?:hij|zij|ze|iemand|(?:mijn|m'n) (?:{{_W}})?(?:{RELATIVES})) (?:{{_W}})?(?:reageert|reageerde|beweegt|bewoog) (?:echt |helemaal )?(?:niet meer|nergens meer op|nergens op|niet)\s*(?:[.!,;]|$)",
    Rule(
        r"\b(?:heeft|is|hebben) (?:zich|zichzelf) {_W}{0,1}?(?:opgehangen|verhangen|van het leven beroofd)\b|\bverhangen\b",
        veto=rf"\bin (?:de|die|een|het|dat|deze) {MEDIA}\b",
    ),
    # someone in the house, alcohol with pills, a fall with no response
    r"\b(?:iemand|een man|een vrouw|mensen|twee mannen) (?:{_W}){0,3}?in (?:mijn|ons|het) huis (?:{_W}){0,1}?die (?:ik|we|wij) niet (?:ken|kennen)\b"
    r"|\b(?:er is|er zit|er staat|er loopt|er zijn) (?:een )?(?:inbreker|inbrekers|indringer|indringers)\b|\b(?:inbreker|inbrekers|indringer) in (?:mijn|ons|het) huis\b|\bwordt (?:nu |net |op dit moment )?(?:bij (?:mij|ons) )?ingebroken\b",
    r"\b(?:fles|flessen|liter) (?:{_W}){0,1}?(?:wodka|drank|wijn|whisky|jenever|alcohol|bier|rum)\w* (?:en|met|plus) (?:{_W}){0,2}?(?:pillen|tabletten|medicijnen|slaappillen|pijnstillers|paracetamol|oxazepam)\b[^.?!]{0,20}?\b(?:op|genomen|ingenomen|geslikt|opgeslikt|gedronken)\b"
    r"|\b(?:pillen|tabletten|medicijnen|slaappillen|pijnstillers|paracetamol|oxazepam) (?:met|en) (?:{_W})?(?:drank|alcohol|wodka|wijn|whisky|bier) (?:{_W})?(?:genomen|geslikt|ingenomen|op|opgeslikt)\b",
    rf"\b(?:hij|zij|ze|iemand|(?:mijn|m'n) (?:{{_W}})?(?:{RELATIVES}))\b[^.?!]{{0,60}}?\b(?:en|maar) (?:{{_W}})?(?:reageert|reageerde|beweegt|bewoog|ademt|ademde) (?:echt |helemaal )?(?:niet meer|nergens meer op|nergens op|niet)\s*(?:[.!,;]|$)",
    r"\blevensgevaar\b",
    r"\b(?:ik ben|we zijn|wij zijn) (?:nu )?in gevaar\b",
    r"\b(?:sta|staat|zit|zat|lig|ligt) (?:nu )?(?:op|aan|bij) (?:de|het|een) (?:brug|dak|spoor|spoorbaan|rails)\b",
    r"\b(?:sta|staat|zit|zat|lig|ligt) (?:nu )?(?:op|aan) de rand(?: van (?:de|het|een) (?:dak|brug|flat|balkon|afgrond|spoor|perron|kade|klif|gebouw|toren|galerij|viaduct)\w*|\s*(?:[.!,;]|$))",
    Rule(
        r"\b(?:heeft|met|pakt|pakte|zwaait|dreigt met) (?:een|zijn|haar) (?:mes|pistool|wapen|vuurwapen|bijl|hamer)\b",
        veto=r"\bgekocht\b|\bom (?:{_W}){0,2}?(?:te )?(?:koken|snijden|schillen|vissen|klussen|hakken)\b|\bvoor (?:het|de) (?:koken|vissen|brood|taart|keuken|groente)\b",
        not_self=True,
    ),
    r"\bbewusteloos\b",
    r"\b(?:ademt|ademde) (?:niet|nauwelijks)\b",
    r"\bniet (?:meer )?wakker te krijgen\b",
    r"\bpijn op de borst\b",
    r"\b(?:ik bloed|het bloedt|hij bloedt|zij bloedt|ze bloedt) (?:heel |zo |erg |echt )?(?:erg|hevig|veel|enorm|heel erg)\b|\b(?:bloeden|bloed) {_W}{0,1}?(?:stopt|houdt) niet\b",
    # Medical emergencies (112, not the huisarts): someone unconscious or not responding, not breathing,
    # poisoned, chest pain with its alarm signs, stroke signs, a heart attack now. Past events
    # ("heeft een beroerte gehad") and figures of speech ("bijna een hartaanval van schrik") are vetoed.
    r"\bbuiten bewustzijn\b|\b(?:is|ben|was) (?:net |zojuist |ineens |opeens )?(?:flauwgevallen|in elkaar gezakt|neergevallen|gevallen) en (?:{_W}){0,1}?(?:komt|kwam|wordt|werd|reageert|reageerde|ademt|beweegt) (?:niet|nergens|maar niet)\b",
    r"\b(?:reageert|reageerde|beweegt|bewoog) (?:nergens meer op|niet meer|nergens op|niet)\b[^.?!]{0,40}?\b(?:ademt|adem|ademen|wakker|bewusteloos|grond|vloer|blauw|bloed|bleek)\b"
    r"|\b(?:ligt|lag|liggen) {_W}{0,4}?(?:op de grond|op de vloer|in bad|in de badkamer|op straat|in bed) en (?:{_W})?(?:reageert|reageerde|beweegt|bewoog|ademt|ademde) (?:niet|nergens)\b",
    r"\b(?:krijg|krijgen) (?:hem|haar|mijn (?:{_W})?(?:" + RELATIVES + r")) niet (?:meer )?wakker\b",
    Rule(
        r"\b(?:krijg|krijgt|kreeg|krijgen) (?:bijna |haast |echt |ineens |opeens |nu )?geen (?:lucht|adem)\b|\b(?:kan|kon|kunnen) (?:bijna |haast )?(?:niet|nauwelijks) (?:meer )?ademen\b"
        r"|\b(?:is|ben) (?:aan het )?stikken\b|\b(?:stikt|verstikt)\b|\bblauw (?:aangelopen|aan het worden|aan het aanlopen)\b|\bademhaling (?:stopt|is gestopt|stokt)\b",
        veto=r"\bvan (?:de |het |die |dat |al |mijn |dit |zo'?n )?\w+|\bbij (?:het|de) (?:sporten|hardlopen|traplopen|fietsen)\b|\bals ik\b|\bsoms\b|\bvaak\b|\bwel eens\b",
    ),
    r"\b(?:gif|rattengif|bleek|bleekwater|schoonmaakmiddel|wasmiddel|ontstopper|antivries|lampolie|aanmaakvloeistof|wasmiddelcapsule\w*|vaatwastablet\w*|wc-?eend)"
    r" {_W}{0,2}?(?:gedronken|opgedronken|ingeslikt|doorgeslikt|geslikt|gegeten|opgegeten|binnengekregen|ingenomen)\b",
    r"\b(?:te ?veel|teveel|een hele? (?:pen|spuit)|al (?:mijn|zijn|haar) ) ?insuline {_W}{0,1}?(?:gespoten|genomen|ingenomen|gezet)\b|\b(?:een handvol|handen vol|mijn hele voorraad|de hele voorraad|zijn hele voorraad|haar hele voorraad) {_W}{0,2}?(?:pillen|tabletten|medicijnen|slaappillen|pijnstillers|paracetamol)? ?{_W}{0,1}?(?:genomen|ingenomen|geslikt|op)\b",
    # chest pain or pressure with sweating, pain into the arm or jaw, short of breath (either order)
    r"\b(?:pijn|druk|steek|steken|knellend gevoel|drukkend gevoel|benauwd gevoel) (?:op|in|aan) (?:de|mijn|zijn|haar) borst\b[^.?!]{0,60}?\b(?:zweet|zweten|zweterig|klam|koud zweet|arm|kaak|nek|misselijk|geen lucht|benauwd|kortademig)\b"
    r"|\bborst (?:doet|deed) (?:heel |erg |zo |echt )?(?:pijn|zeer)\b[^.?!]{0,60}?\b(?:zweet|zweten|zweterig|klam|arm|kaak|misselijk|geen lucht|benauwd)\b"
    r"|\b(?:zweet|zweten|zweterig|klam|koud zweet)\b[^.?!]{0,60}?\b(?:pijn|druk|steek) (?:op|in) (?:de|mijn|zijn|haar) borst\b",
    Rule(
        r"\b(?:heb|heeft|krijg|krijgt|hebben|krijgen) (?:nu |net |volgens mij |denk ik |misschien |echt )?(?:een )?(?:hartaanval|hartinfarct|hartstilstand|beroerte|herseninfarct|hersenbloeding|tia)\b"
        r"|\b(?:denk|geloof|vrees|lijkt|voelt|alsof) (?:{_W}){0,4}?(?:hartaanval|hartinfarct|beroerte|herseninfarct|hersenbloeding) (?:heb|heeft|krijg|krijgt|is|hebt)\b",
        veto=r"\booit\b|\blater\b|\bgehad\b|\bbijna\b|\bvan (?:de |het |die |dat |al |jou |je |hem |haar |mijn |schrik)|\bvorig\w*|\bjaar\b|\bgeleden\b|\bsinds\b|\bziekenhuis\b|\brevalid\w*|\bzorg\w*|\bkans op\b|\brisico\b|\bbang (?:voor|dat)\b|\bdoor (?:de|het|die|dat)\b|\bgehad\b|\bna (?:een|de|zijn|haar|mijn)\b|\?",
    ),
    r"\b(?:mond|mondhoek|gezicht) (?:hangt|zakt|is|staat) (?:ineens |opeens |plotseling |helemaal |nu )?(?:scheef|naar beneden|af)\b"
    r"|\b(?:ineens|opeens|plotseling) (?:{_W}){0,3}?(?:niet meer (?:praten|lopen|bewegen|uit (?:zijn|haar|mijn) woorden)|verlamd|(?:arm|been|hand|kant|gezicht) (?:{_W})?(?:slap|verlamd|gevoelloos|hangt|scheef))\b"
    r"|\b(?:praat|praten|spreekt|spreken) (?:ineens|opeens|plotseling) {_W}{0,1}?(?:raar|onduidelijk|wartaal|dubbel|brabbel\w*|onverstaanbaar)\b",
    r"\b(?:aanval|toeval|insult|stuip\w*|epileptische aanval) (?:{_W}){0,3}?(?:stopt|houdt|gaat) (?:maar )?niet(?: meer)?(?: op| over)?\b",
    r"\b(?:moet|moeten|ben|zijn|zit|zitten) (?:{_W})?(?:hem|haar)? ?(?:aan het )?reanimeren\b",
]

_HG_VERBS = (
    r"slaat|sloeg|slaan|schopt|schopte|trapt|trapte|stompt|stompte|mishandelt|mishandelde|bedreigt|"
    r"bedreigde|wurgt|wurgde|duwt|duwde|knijpt|kneep|misbruikt|misbruikte|verkracht|verkrachtte|randt|stalkt|"
    r"chanteert|vermoordt|bijt|beet|smijt|smeet|sleurt|sleurde|vernedert|vernederde|intimideert|slaan|schoppen|duwen"
)
# What is hit or kicked is no person: "slaat de spijker op zijn kop", "schopt tegen de bal", "slaat de eieren".
_NOT_A_PERSON_HIT = (
    r"\b(?:spijker|spijkers|bal|ballen|trom|trommel|drum|drums|alarm|maat|eieren|ei|room|slagroom|munt|slag|handen ineen|"
    r"deur dicht|plank mis|tapijt|kleed|mat|vlieg|mug|muggen|piano|toets|toetsen|brug|wind|noot|tennisbal|golfbal|piket)\b"
    r"|\b(?:toe|over)\s*(?:[.!,;]|$)"
)
HUISELIJK_GEWELD = [
    Rule(
        rf"\b(?:{_HG_VERBS}) " + ABUSER_OBJECT + r"\b(?! om het hart)(?! er)",
        veto=r"om het hart\b|" + _NOT_A_PERSON_HIT,
        not_self=True,
    ),
    # verb before the subject: "gisteren sloeg mijn man me", "toen schopte hij ons", "vannacht heeft hij me geslagen"
    Rule(
        rf"\b(?:{_HG_VERBS}) (?:hij|zij|ze|(?:mijn|m'n) (?:{{_W}})?(?:{RELATIVES})) (?:{{_W}}){{0,1}}?"
        + ABUSER_OBJECT
        + r"\b(?! om het hart)(?! er)",
        veto=r"om het hart\b|" + _NOT_A_PERSON_HIT,
    ),
    rf"\b(?:heeft|had|hebben|hadden) (?:hij|zij|ze|(?:mijn|m'n) (?:{{_W}})?(?:{RELATIVES})) (?:me|mij|ons|mijn kind|mijn kinderen|de kinderen) {{_W}}{{0,3}}?"
    r"(?:geslagen|geschopt|mishandeld|bedreigd|gewurgd|verkracht|misbruikt|opgesloten|aangerand|geduwd|gebeten|gestompt|getrapt|geknepen|gemept|in elkaar geslagen)\b",
    rf"\b(?:hij|zij|ze|(?:mijn|m'n|de|onze|hun|die) (?:{{_W}})?(?:{RELATIVES}|buurkinderen|buurkind|kinderen|buurjongen|buurmeisje|kleinkinderen|kleinkind|buurvrouw|buurman|meisje|jongen))"
    r" (?:wordt|worden|werd|werden) (?:{_W}){0,3}?(?:geslagen|mishandeld|geschopt|misbruikt|verkracht|bedreigd|opgesloten|gewurgd|getrapt)(?: door\b|\s*(?:[.!,;]|$)| thuis\b)",
    # coordinated verbs: "hij duwt en schopt", "hij slaat, schopt en scheldt"
    rf"\b(?:{_HG_VERBS})(?: en|,) (?:{{_W}})?(?:{_HG_VERBS})\b",
    r"\b(?:gooit|gooide|smijt|smeet) {_W}{0,3}?(?:naar|tegen) (?:me|mij|mijn hoofd)\b",
    r"\b(?:trekt|trok) {_W}{0,1}?aan mijn (?:haar|haren)\b",
    r"\b(?:dwingt|dwong|dwingen) (?:me|mij) {_W}{0,2}?(?:tot seks|om seks|seks|te vrijen|te trouwen|om te trouwen|mee te gaan|te blijven)\b",
    r"\b(?:houdt|hield|houden) (?:me|mij|ons) {_W}{0,2}?(?:opgesloten|gevangen|binnen opgesloten)\b|\b(?:sluit|sloot) (?:me|mij|ons) (?:\w+ )?op\b|\bzit(?:ten)? (?:steeds |altijd )?aan (?:me|mij)\b",
    r"\baan (?:me|mij|mijn lijf|mijn lichaam|mijn borsten|mijn kruis) {_W}{0,1}?(?:zitten|zit|zat|komt|kwam)\b",
    r"\b(?:ik|we|wij) (?:zit|zitten|zat|zaten|ben|word|werd) {_W}{0,2}?opgesloten\b",
    r"\b(?:laat|liet) (?:me|mij|ons) niet (?:meer )?(?:de deur uit|naar buiten|gaan|weg|vertrekken|alleen)\b",
    r"\b(?:heeft|hebben|had) (?:me|mij) {_W}{0,3}?(?:geslagen|geschopt|mishandeld|bedreigd|gewurgd|verkracht|"
    r"misbruikt|opgesloten|aangerand|geduwd|gebeten|gestompt|getrapt|gegrepen|vastgegrepen|geknepen|gewurgd|"
    r"door elkaar geschud|geschud|gemept|gedwongen (?:tot |om )?(?:seks|te vrijen))\b",
    r"\b(?:knijpt|kneep|pakt|pakte|greep|grijpt|drukt|drukte|duwt|duwde) {_W}{0,3}?(?:mijn|de) keel\b|\b(?:bij|om|aan) (?:mijn|de) keel {_W}{0,1}?(?:gegrepen|gepakt|vastgepakt|geknepen)\b|\bkeel (?:dicht ?)?(?:geknepen|dichtgeknepen|dichtknijpt|dichtkneep|dichtgedrukt)\b",
    r"\bgedwongen {_W}{0,2}?(?:seks|te vrijen|te trouwen|seksuele)\b",
    rf"\b(?:hij|zij|ze|(?:mijn|m'n) (?:{{_W}})?(?:{RELATIVES})) (?:slaat|schopt|mishandelt|slaan|schoppen)(?:\s*(?:[.!,;]|$)| (?:als|wanneer|zodra|me|mij|ons))",
    r"\bgedwongen (?:tot|om) (?:seks|te vrijen|te trouwen)\b|\buithuwelijk\w*",
    r"\b(?:ik|wij|we) (?:word|werd|worden|werden|ben|zijn) (?:thuis )?{_W}{0,4}?(?:geslagen|mishandeld|bedreigd|"
    r"geschopt|misbruikt|verkracht|gewurgd|aangerand|opgesloten|gestalkt|geduwd|getrapt|gestompt|gebeten)\b",
    # "bang voor mijn zoon zijn toekomst" is worry for him, not fear of him (also misspelt: the veto is corrected)
    Rule(
        r"\bbang (?:voor|van) (?:mijn (?:\w+ )?(?:partner|man|vrouw|vriend|vriendin|ex|vader|moeder|stiefvader|"
        r"stiefmoeder|zoon|dochter|broer|zus|echtgenoot|echtgenote)|hem|haar)\b(?! (?:gezondheid|dat (?:hij|zij|ze) "
        r"(?:valt|ziek)))",
        veto=r"^bang (?:voor|van) (?:mijn )?(?:\w+ )?\w+ (?:zijn|haar|z'n|hun) (?!woede|geweld|agressie|drift|buien|klappen)\w+",
    ),
    r"\bhuiselijk geweld\b|\bkindermishandeling\b|\bpartnergeweld\b|\beergerelateerd\w*|\beerwraak\b",
    r"\b(?:niet|nooit) (?:meer )?veilig (?:thuis|in (?:huis|mijn huis|ons huis))\b|\bthuis (?:niet|nooit) veilig\b",
    r"\bgeweld (?:thuis|in huis|in ons gezin)\b",
    r"\bthuis (?:is het|voel ik me|voel ik mij|voelen (?:we|wij|ze) (?:ons|zich)|zijn (?:we|wij|ze|mijn kinderen|de kinderen)) (?:{_W})?(?:niet|nooit) (?:meer )?veilig\b",
    Rule(
        rf"\b(?:{_HG_VERBS}) (?:dan |weer |altijd |vaak |ook |steeds )?(?:iedereen|ons allemaal|het hele gezin|mama|papa|mijn moeder|mijn vader|de hele familie)\b",
        veto=_NOT_A_PERSON_HIT,
        not_self=True,
    ),
    r"\b(?:hij|zij|ze) (?:doet|deed) (?:me|mij) (?:pijn|iets aan)\b",
    r"\b(?:wil|gaat|dreigt|dreigde|zal|zou) (?:me|mij|ons) {_W}{0,1}?(?:vermoorden|doden|iets aan te doen|af te maken|te vermoorden|"
    r"dood te maken|doodmaken|dood maken|afmaken|iets aandoen|wat aandoen|pijn te doen|in elkaar te slaan|te slaan|kapot te maken)\b",
    Rule(
        r"\b(?:dreigt|dreigde|dreigen|bedreigt|gedreigd) {_W}{0,3}?(?:te vermoorden|in brand te steken|dood te maken|iets aan te doen|af te maken|te slaan|"
        r"pijn te doen|mee te nemen|kapot te maken|in elkaar te slaan|weg te halen|het huis in brand)\b",
        veto=r"\bzich(?:zelf)?\b",
    ),
    Rule(
        r"\b(?:me|mij|ons) {_W}{0,4}?(?:vermoorden|vermoordt|doodmaakt|dood maakt|doodmaken|dood maken|afmaakt|afmaken|iets aandoet|wat aandoet|iets aandoen|"
        r"pijn doet|pijn doen|in elkaar slaat|in elkaar slaan|slaat|slaan|(?:dood|af) {_W}{0,1}?(?:maken|maakt)|"
        r"(?:pijn|iets|wat) (?:zal|gaat|zou|wil) (?:doen|aandoen))\b",
        not_self=True,
    ),
    r"\b(?:durf|durven|durfde) {_W}{0,1}?niet (?:meer )?(?:naar huis|thuis te komen|naar binnen|terug naar huis|alleen thuis|thuis te zijn|naar mijn (?:man|vrouw|partner|vader|moeder|vriend|vriendin))\b",
    r"\bbang (?:om|om weer) (?:{_W}){0,1}?(?:naar huis te gaan|thuis te komen|naar huis te komen|thuis te zijn)\b",
]
