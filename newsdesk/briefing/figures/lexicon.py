"""The words figures are recognised by: event verbs and nouns, counted groups, units, money.

General English news vocabulary only; nothing here names a story.
"""

from __future__ import annotations

__all__ = ["EVENT_WORDS", "EVENT_MEASURES", "PEOPLE", "ACTORS", "GROUPS", "UNITS", "AREA_UNITS", "ACTION_VERBS",
           "MONEY_CONTEXT", "SPEECH", "GENERIC", "measure_class"]

# event classes: verb, adjective or noun lemma -> normalised measure
EVENT_WORDS = {
    "kill": "killed", "die": "killed", "death": "killed", "dead": "killed", "fatality": "killed",
    "perish": "killed", "toll": "killed", "massacre": "killed", "execute": "killed", "slay": "killed",
    "murder": "killed", "drown": "killed", "body": "killed", "fatally": "killed",
    "wound": "wounded", "injure": "wounded", "injury": "wounded", "hurt": "wounded", "wounded": "wounded",
    "injured": "wounded", "shoot": "wounded", "casualty": "casualties",
    "flee": "displaced", "displace": "displaced", "refugee": "displaced", "homeless": "displaced",
    "evacuate": "evacuated", "evacuee": "evacuated", "rescue": "rescued", "trap": "trapped",
    "arrest": "arrested", "detain": "arrested", "capture": "captured", "prisoner": "prisoners",
    "charge": "charged", "indict": "charged", "convict": "convicted",
    "missing": "missing", "abduct": "kidnapped", "kidnap": "kidnapped", "unaccounted": "missing",
    "infect": "cases", "case": "cases", "infection": "cases", "diagnose": "cases", "hospitalize": "hospitalized",
    "hospitalise": "hospitalized", "hospitalization": "hospitalized", "sicken": "cases",
    "affect": "affected",
}
EVENT_MEASURES = frozenset(EVENT_WORDS.values())
# people a number can count; a count of them is a figure even without an event verb
PEOPLE = frozenset("""people person persons civilian soldier troop serviceman servicemen personnel fighter
militant rebel insurgent combatant child children kid woman women man men boy girl baby babies adult student
pupil teacher worker staff staffer employee member volunteer passenger crew pilot officer policeman policemen
police peacekeeper reservist firefighter rescuer doctor nurse patient victim survivor resident inhabitant
villager citizen migrant refugee protester demonstrator fan spectator tourist visitor journalist gunman gunmen
attacker suspect robber hostage prisoner inmate detainee player athlete delegate voter family household guard
airman airmen marine sailor agent official diplomat schoolchild schoolchildren job relative parent evacuee
customer user subscriber miner climber hiker pilgrim worshipper shopper driver""".split())
# the people who carry out an event: a count of them is a key figure however small ("three gunmen")
ACTORS = frozenset("""gunman gunmen attacker assailant suspect robber hijacker bomber shooter kidnapper
hostage perpetrator intruder""".split())
# the group a count is limited to, when the counted noun or its modifier names one
GROUPS = {
    "civilian": "civilians", "soldier": "soldiers", "troop": "soldiers", "serviceman": "soldiers",
    "servicemen": "soldiers", "military": "soldiers", "personnel": "soldiers", "fighter": "fighters",
    "militant": "fighters", "rebel": "fighters", "separatist": "fighters", "insurgent": "fighters",
    "combatant": "fighters", "child": "children", "children": "children", "woman": "women", "women": "women",
    "police": "police", "policeman": "police", "officer": "police", "journalist": "journalists",
    "worker": "workers", "student": "students", "patient": "patients", "passenger": "passengers",
    "migrant": "migrants", "protester": "protesters", "demonstrator": "protesters", "teacher": "teachers",
    "peacekeeper": "peacekeepers", "staff": "staff", "volunteer": "volunteers", "crew": "crew",
}
# nouns that count everybody (no group)
GENERIC = frozenset("""people person persons life lives death deaths dead casualty casualties fatality
fatalities toll individual individuals victim victims wounded injured refugee refugees evacuee evacuees
prisoner prisoners resident residents inhabitant inhabitants other others case cases body bodies""".split())
UNITS = frozenset("""barrel gallon litre liter tonne ton acre hectare kilogram kg dose course vaccine
megawatt kilowatt""".split())
AREA_UNITS = frozenset("square acre acres hectare hectares".split())
# verbs that make a count of things an event fact ("destroyed 30 tunnels", "cancelled 200 flights")
ACTION_VERBS = frozenset("""destroy damage seize confiscate cancel ground send deploy dispatch mobilize
mobilise dig uncover find recover sell buy close shut burn raid demolish flatten collapse sink launch
cull slaughter deliver donate pledge order produce build ban suspend strike hit neutralize""".split())
MONEY_CONTEXT = {"cost": "cost", "spend": "spending", "pay": "paid", "price": "price", "damage": "damages",
                 "value": "value", "worth": "value", "raise": "raised", "fine": "fine", "fund": "funding",
                 "budget": "budget", "loss": "losses", "lose": "losses", "compensation": "compensation",
                 "donate": "donations", "pledge": "pledged", "bill": "cost", "sale": "sales", "revenue": "revenue",
                 "profit": "profit", "aid": "aid", "award": "damages", "earn": "earnings"}
SPEECH = frozenset({"say", "tell", "report", "announce", "acknowledge", "confirm", "add", "put", "estimate",
                    "state", "claim", "declare", "insist", "admit", "reveal", "show", "count", "record",
                    "release", "publish", "disclose", "list"})

_CLASS_WORDS = {
    "killed": "killed", "dead": "killed", "deaths": "killed", "death": "killed", "died": "killed",
    "fatalities": "killed", "toll": "killed", "bodies": "killed", "killings": "killed",
    "wounded": "injured", "injured": "injured", "hurt": "injured", "shot": "injured", "injuries": "injured",
    "missing": "missing", "arrested": "arrested", "charged": "arrested", "detained": "arrested",
    "displaced": "displaced", "evacuated": "displaced", "homeless": "displaced", "fled": "displaced",
    "cases": "cases", "infected": "cases", "diagnosed": "cases", "hospitalized": "cases",
    "cost": "money", "price": "money", "damages": "money", "spending": "money", "value": "money",
    "paid": "money", "money": "money", "funding": "money", "losses": "money", "amount": "money",
    "barrels": "volume", "gallons": "volume", "litres": "volume", "liters": "volume", "oil": "volume",
    "tonnes": "volume", "tons": "volume", "water": "volume",
    "area": "area", "square": "area", "acres": "area", "hectares": "area", "miles": "area", "km": "area",
    "shoreline": "area", "size": "area", "distance": "area",
    "magnitude": "magnitude", "affected": "affected",
}


def measure_class(measure: str) -> str:
    """The class of a measure for comparing two of them: an event ("killed"), "money",
    "volume", "area", "magnitude", else the first word without its plural "s"."""
    words = measure.lower().replace("(", " ").replace(")", " ").split()
    for w in words:
        if w in _CLASS_WORDS:
            return _CLASS_WORDS[w]
    head = next((w for w in words if w not in ("of", "the", "a", "an", "new")), "")
    return head[:-1] if head.endswith("s") and len(head) > 3 else head
