"""Emergency: a visitor describing something that needs help now, not a booking.

Checked first, on the normalised text (see ``text.normalise``). Each sign carries a level:
"999" (breathing, throat or tongue swelling, anaphylaxis, chest pain, collapse), "111"
(urgent: heavy bleeding or severe pain after treatment, signs of a blocked blood vessel or
changed vision after filler, a dental abscess with fever or spreading swelling) or "crisis".
Questions about risks in general ("can filler cause blindness?") are left to the medical
check unless the visitor also speaks of themselves or someone with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aescrm.assistant.guardrails.text import normalise


def near(a: str, b: str, words: int = 5) -> str:
    """``a`` and ``b`` within ``words`` words of each other, either order."""
    gap = rf"(?:\s+\S+){{0,{words}}}\s+"
    return rf"(?:\b{a}\b{gap}\b{b}\b|\b{b}\b{gap}\b{a}\b)"


SWELL = r"(?:swell\w*|swollen|puff\w*|ballooned|ballooning|blown up|blew up)"
FACE = (
    r"(?:face|lip|lips|mouth|cheek|cheeks|jaw|eye|eyes|eyelid|eyelids|neck|gum|gums|chin|nose"
    r"|under my eye|side of my face)"
)
AIRWAY = r"(?:tongue|throat|airway|windpipe)"
SWELL_SEVERE = (
    r"\b(?:massive\w*|huge|enormous|really bad|very bad|so bad|badly|severe\w*|extreme\w*"
    r"|rapid\w*|quickly|fast|spreading|spread|spreads|getting worse|getting bigger|keeps? getting"
    r"|keeps? growing|growing|wont go down|not going down|cant open|closing|closed|shut|fever"
    r"|feverish|temperature|hot to touch|allergic|reaction|hives|rash|suddenly|sudden"
    r"|all of a sudden|double the size|twice the size|to my eye|into my eye|down my neck"
    r"|into my neck|cant swallow|cannot swallow|difficulty swallowing|struggling to swallow"
    r"|hard to swallow|hot|unwell|feel ill|feeling ill|really ill|feel sick|feeling sick)\b"
)
BLEED = r"(?:bleeding|bleed|bleeds|bled|blood)"
BLEED_SEVERE = (
    r"(?:heavy|heavily|wont stop|will not stop|doesnt stop|does not stop|isnt stopping"
    r"|is not stopping|not stopping|hasnt stopped|has not stopped|havent stopped|cant stop"
    r"|cannot stop|can not stop|uncontroll\w*|nonstop|non stop|pouring|gushing|spurting"
    r"|soaked|soaking|wont clot|not clotting|everywhere|profuse\w*|pumping|streaming"
    r"|dripping)"
)
BLEED_ALONE = (
    r"\b(?:still bleeding|keeps bleeding|keep bleeding|so much blood|lots of blood"
    r"|loads of blood|a lot of blood|mouth full of blood|mouthful of blood|blood everywhere)\b"
)
PAIN = r"(?:pain|pains|painful|hurts|hurting|hurt|ache|aches|aching|toothache|throbbing|sore|agony)"
PAIN_SEVERE = (
    r"(?:severe|severely|unbearable|excruciating|extreme|extremely|intense|terrible|horrendous"
    r"|horrible|awful|worst|agonising|agonizing|crippling|screaming|killing me|cant cope"
    r"|cannot cope|cant sleep|cannot sleep|getting worse|worse and worse|so bad|really bad"
    r"|very bad|so much|ten out of ten|too much|unreal|insane)"
)
COLOUR = (
    r"(?:white|whiter|pale|paler|blanch\w*|blue|bluish|blueish|grey|gray|greyish|dusky|mottled"
    r"|purple|purplish|lacy|patchy)"
)
DARK = r"(?:dark|darker|black|cold)"
# Any order, any pair ("blue grey", "greyish blue", "blotchy and mottled purple"): one colour
# word near the treated skin is the sign; "patchy" alone (uneven filler) is not a colour.
SKIN_COLOUR = (
    r"(?:white|whiter|pale|paler|pallid|ashen|blanch\w*|blue|bluish|blueish|grey|gray|greyish"
    r"|grayish|dusky|mottled|purple|purplish|violet|blotchy|blotched|lacy|marbled|black"
    r"|blackish|dark purple|see through|waxy)"
)
# The visitor's own filler, recently: "after/since filler", "my filler", "where it went in".
MY_FILLER = (
    r"\b(?:after|since|following|post|from)(?: \S+){0,3} (?:filler|injection|injections|jab"
    r"|jabs|treatment|appointment|tweakment)\b|\b(?:my|her|his|the) (?:\w+ )?(?:filler"
    r"|injections?)\b(?: \S+){0,2} (?:yesterday|today|earlier|this morning|last night"
    r"|last week|on \w+day|done)\b|\bmy (?:\w+ )?filler\b|\bwhere (?:the|my|it) (?:\w+ )?"
    r"(?:went in|was injected|injected)\b"
)
# "went white" on its own is a change; "is white" only counts after a treatment.
STRONG_CHANGE = r"(?:went|gone|going|goes|turned|turning|turns|became|becoming|getting|got|changed)"
WEAK_CHANGE = r"(?:is|are|looks|looking|look|feels|feel)"
MODIFIER = r"(?: very| really| quite| all| a bit| bit| slightly| kind of| sort of| completely)?"
SKIN = r"\b(?:lip|lips|nose|skin|cheek|cheeks|chin|face|forehead|tear trough|temple|jawline)\b"
FILLER = (
    r"\b(?:filler|filled|fill|injection|injections|injected|jab|jabs|tweakment|lip flip"
    r"|profhilo|skin booster|botox|anti wrinkle)\b"
)
TREATMENT = (
    r"\b(?:extraction|extractions|tooth out|teeth out|pulled|removed|wisdom|surgery|operation"
    r"|procedure|filler|botox|anti wrinkle|injection|injections|injected|implant|implants"
    r"|root canal|filling|crown|treatment|appointment|peel|laser|whitening|bonding|veneer"
    r"|veneers|dentist|jab|jabs|clinic)\b"
)
AFTER = r"\b(?:after|since|following|post|yesterday|today|last night|this morning|earlier)\b"
OWNED = (
    r"\b(?:my|im|ive|i have|i am|i got|i cant|i feel|i think|me|shes|hes|she is|he is"
    r"|she has|he has|his|our|were|we are|theyre|they are)\b"
)
HYPOTHETICAL = (
    r"(?:\b(?:can|could|does|do|will|would|might|may|is it possible|is there)\b.*\b(?:cause"
    r"|causes|lead to|leads to|result in|risk|risks|side effect|side effects|chance|chances"
    r"|complication|complications|happen|possible)\b"
    r"|\b(?:what are the risks|what if|what happens if|how common|how likely|how rare"
    r"|how often|risk of|chance of|signs of|symptoms of|sign of)\b)"
)
# "emergency (dental) appointment", "emergency dentist": a service to book or price.
NOT_APPOINTMENT = (
    r"(?!(?:\s+(?:dental|dentist|dentistry|out of hours|same day|nhs|private|\w+s))?"
    r"\s+(?:appointments?|appts?|slots?|dentists?|services?|numbers?|line|care|treatment|fees?"
    r"|prices?|charges?|cover|contact|visits?|consultations?|consults?|exams?|examinations?"
    r"|sessions?|costs?|rates?|policy|availability|clinic|hours))"
)


# An injection near the eyes can block the vessels that feed them.
VISION_FILLER = (
    r"\b(?:filler|injection|injections|injected|jab|jabs|botox|anti wrinkle|tweakment"
    r"|profhilo|skin booster|lip flip|tear trough)\b"
)


@dataclass(frozen=True)
class Sign:
    level: str  # "999" | "111" | "crisis"
    detail: str
    pattern: re.Pattern[str]
    needs: tuple[re.Pattern[str], ...] = ()  # further conditions anywhere in the message
    unless: re.Pattern[str] | None = None  # the sign does not count when this is found


def _sign(level: str, detail: str, pattern: str, *needs: str, unless: str = "") -> Sign:
    return Sign(
        level,
        detail,
        re.compile(pattern),
        tuple(re.compile(n) for n in needs),
        re.compile(unless) if unless else None,
    )


# "My bank balance is the real emergency", "it's a hair emergency lol": a figure of speech.
# Only the visitor's own word "emergency" gives way to it; a symptom is a sign by itself.
FIGURATIVE_EMERGENCY = (
    r"\b(?:bank|balance|wallet|purse|account|overdraft|money|finances|budget|bills?|hair|nails"
    r"|eyebrows?|brows|wardrobe|outfit|fashion|style|make ?up|selfie|instagram|shopping"
    r"|wedding planning)\b(?:\s+\S+){0,5}\s+(?:emergency|emergencies)\b"
    r"|\b(?:hair|nail|brow|fashion|style|beauty|makeup|money|cash|wallet|vanity|cosmetic)"
    r" emergency\b"
)


SIGNS: tuple[Sign, ...] = (
    _sign(
        "crisis",
        "self-harm",
        r"\b(?:kill myself|killing myself|suicid\w*|end my life|want to die|self harm\w*)\b",
    ),
    _sign(
        "999",
        "breathing difficulty",
        r"\b(?:cant|cannot|can not|couldnt|unable to|struggling to|struggle to|struggling"
        r"|hard to|harder to|harder and harder to|difficult to|more difficult to|difficulty"
        r"|trouble|problems?|hard time|barely|not able to)"
        r"(?: really| properly)? (?:breathe|breathing|(?:catch|get) (?:my|her|his|their)"
        r" breathe)\b",
    ),
    _sign(
        "999",
        "breathing difficulty",
        r"\b(?:short of breathe|shortness of breathe|gasping for breathe|gasping for air"
        r"|fighting for breathe|not breathing|stopped breathing|breathless|gasping|wheezing"
        r"|wheezy|choking)\b",
    ),
    _sign("999", "throat or tongue swelling", near(SWELL, AIRWAY, 4)),
    _sign(
        "999",
        "throat or tongue swelling",
        # "my tongue feels huge", "throat feels twice the size": swelling in other words.
        rf"\b{AIRWAY}(?: \S+){{0,3}} (?:huge|massive|enormous|fat|thick|too big|really big"
        r"|so big|twice the size|double the size|doubled in size)\b",
    ),
    _sign(
        "999",
        "throat closing",
        r"\b(?:throat|airway)(?: is| feels| keeps| has| going)? (?:closing|closed|tight"
        r"|tightening|blocked|narrowing)\b|\b(?:closing|tightening) (?:up )?(?:of )?"
        r"(?:my |the |her |his )?(?:throat|airway)\b"
        # "my throat feels like its closing up"; not "blocked" here ("sore throat, blocked nose").
        r"|\b(?:throat|airway)\b(?:\s+\S+){0,4}\s+(?:closing|closed|shutting|shut|tightening"
        r"|tight|narrowing|constricting|swelling shut)\b",
    ),
    _sign(
        "999",
        "anaphylaxis",
        r"\b(?:anaphyla\w*|epipen|epi pen|adrenaline pen|anaphylactic shock)\b|\b(?:having"
        r"|getting|think (?:its|im having|it is|this is|she is having|he is having)|is having"
        r"|into|severe|bad|serious|massive|major) (?:an |a )?(?:allergic|allergy) reaction\b",
    ),
    _sign("999", "swelling with allergic reaction", near(SWELL, r"(?:allergic|hives)", 6)),
    _sign(
        "999",
        "chest pain",
        r"\bchest (?:pain|pains|hurts|hurting|is tight|is hurting|is painful|tightness"
        r"|feels tight)\b|\b(?:pain|pains|tightness|pressure) in (?:my |his |her |the )?chest\b"
        r"|\b(?:tight chest|heart attack|crushing chest)\b",
    ),
    _sign(
        "999",
        "collapse or fainting",
        r"\b(?:fainted|fainting|passed out|passing out|collapsed|collapsing|unconscious"
        r"|unresponsive|not responding|wont wake|cant wake|blacked out|seizure|seizures"
        r"|having a fit|convulsing|face is drooping|face drooping|slurred|slurring)\b"
        r"|\b(?:feel|feeling|felt|going to|gonna|about to|might) faint\b"
        r"|\b(?:having|had|has had|is having) a stroke\b|\boverdosed?\b",
    ),
    _sign("999", "asks for an ambulance", r"\b(?:need|call|get|send) (?:an |a )?ambulance\b"),
    _sign(
        "111",
        "skin colour change after filler",
        rf"\b{STRONG_CHANGE}{MODIFIER} (?:{COLOUR}|{DARK})\b",
        FILLER,
    ),
    _sign(
        "111",
        "skin colour change after filler",
        # "looks blotchy and blue after filler": a colour after another word or two.
        rf"\b{WEAK_CHANGE}{MODIFIER}(?: \w+ (?:and|or|with|but))? {COLOUR}\b",
        FILLER,
        AFTER,
    ),
    _sign(
        "111",
        "blanching after filler",
        r"\bblanch\w*|\b(?:mottled|dusky|lace like|net like|web like)\b",
        FILLER,
    ),
    _sign(
        "111",
        "skin colour change with pain",
        rf"\b(?:{STRONG_CHANGE}|{WEAK_CHANGE}){MODIFIER} {COLOUR}\b",
        SKIN,
        r"\b(?:pain|painful|hurts|hurting|sore|throbbing|after)\b",
    ),
    _sign(
        "111",
        "skin colour change after filler",
        r"\b(?:went|gone|turned|turning|changed|changing|going)(?: a| an)?(?: really| very)?"
        r" (?:weird|strange|funny|odd|different|bad|horrible|scary|funny looking) colou?r\b"
        r"|\bchanged colou?r\b|\bchanging colou?r\b",
        FILLER,
    ),
    _sign(
        "111",
        "skin colour change after filler",
        near(SKIN_COLOUR, SKIN.strip(r"\b"), 6),
        FILLER,
        MY_FILLER,
    ),
    _sign(
        "111",
        "pale patch with pain after filler",
        rf"\b{COLOUR} (?:patch|patches|area|spot|spots|bit|mark|marks|line|lines)\b",
        FILLER,
        r"\b(?:pain|painful|hurts|hurting|sore|throbbing|agony)\b",
    ),
    _sign(
        "111",
        "spreading redness or infection",
        near(
            r"(?:red|redness|reddness|inflamed|inflammation|infection|infected|red streaks?"
            r"|red lines?|hot|warm)",
            # Happening now, not "can infection spread?"
            r"(?:spreading|has spread|have spread|getting bigger|growing|tracking)",
            5,
        ),
    ),
    _sign(
        "111",
        "signs of infection after filler",
        r"\b(?:hot|warm|burning)\b(?! (?:drinks?|food|tea|coffee|baths?|showers?|weather|yoga"
        r"|tubs?|saunas?|water|temperatures?|days?|rooms?|compress\w*))",
        r"\b(?:red|redness|inflamed)\b",
        FILLER,
        r"\b(?:pain|painful|hurts|hurting|sore|throbbing|tender|swollen|swelling|agony)\b",
    ),
    _sign(
        "111",
        "signs of infection after filler",
        r"\b(?:pus|oozing|weeping)\b",
        FILLER,
    ),
    _sign(
        "111",
        "knocked-out tooth",
        r"\bknocked(?: \S+){0,3} (?:tooth|teeth)(?: \S+){0,2} out\b"
        r"|\bknocked out(?: \S+){0,3} (?:tooth|teeth)\b"
        r"|\b(?:tooth|teeth)(?: \S+){0,3} knocked(?: \S+)? out\b",
    ),
    _sign(
        "111",
        "knocked-out tooth",
        # A tooth out after a fall or a blow; a child's wobbly baby tooth is not.
        r"^(?!.*\b(?:baby|milk|wobbly|loose) (?:tooth|teeth)\b)(?=.*\b(?:tooth|teeth)(?: \S+){0,3}"
        r" (?:fell|fallen|came|come|popped|flew|fell clean|came clean|has come|was knocked)"
        r"(?: \S+)? out\b)",
        r"\b(?:fall|fallen|fell (?:over|off|down|on|onto|from|into)|tripped|trip|slipped|hit"
        r"|whacked|smacked|punched|elbowed|kicked|headbutt\w*|accident|crash|crashed|rugby"
        r"|football|hockey|cricket|boxing|martial arts|fight|fighting|bike|cycling|skateboard\w*"
        r"|scooter|trampoline|playground|sport|sports|match|game|landed|bumped|injury|injured"
        r"|adult|permanent|grown up)\b",
    ),
    _sign(
        "111",
        "skin damage after filler",
        r"\b(?:necrosis|necrotic|skin is dying|skin dying|scabbing|blisters|blistering)\b",
        FILLER,
    ),
    _sign(
        "111",
        "change in vision",
        # "my visions gone blurry" (the apostrophe is dropped), "my sight is a bit fuzzy"
        r"\b(?:vision|visions|eyesight|eyesights|sight|sights)(?: is| s| has| has gone| went"
        r"| gone| going| seems| looks| feels| keeps going| has become| became)?(?: a bit| really"
        r"| very| all| quite| kind of| sort of| slightly| gone| going| suddenly)? (?:blurry"
        r"|blurred|fuzzy|funny|weird|strange|dark|dim|dimmed|cloudy|hazy|misty|double|changed"
        r"|different|worse|gone|blacked out|patchy|grey|gray|black|blank)\b"
        r"|\b(?:eye|eyes)(?: \S+){0,3} (?:blurry|blurred|fuzzy|hazy|misty"
        r"|out of focus|gone dark|went dark|going dark|gone black|went black|dimmed)\b"
        r"|\b(?:vision|sight|eyesight) loss\b|\blost (?:the |all |some )?(?:vision|sight)\b"
        r"(?! of\b)|\b(?:cant|cannot|can not|unable to|struggling to) see (?:out of|from|with)"
        r" (?:my |her |his )?(?:left |right )?eye\b"
        r"|\b(?:blurry|blurred|double|loss of|lost|losing|changes in|change in|changed|sudden"
        r"|reduced|no) (?:my |her |his )?(?:vision|eyesight|sight)\b(?! of\b)"
        r"|\bseeing (?:double|spots|stars|flashes|black)\b"
        r"|\b(?:gone|going|went|go) blind\b|\bblind in\b",
    ),
    _sign(
        "111",
        "change in vision",
        # "I can't see properly since my filler"; not "I can't see any difference after
        # whitening" nor "I can't see the prices properly on my phone": only with the eyes
        # or an injection in the message.
        r"\b(?:cant|cannot|can not|unable to|struggling to) see (?:properly|clearly|out of"
        r"|anything(?! (?:different|differently|changed|change|new|wrong|happening|special"
        r"|at all different|on|in|about))|straight|well|very well|a thing)\b(?! (?:on|in) (?:the"
        r" |your |this |my )?(?:screen|phone|website|site|page|app|form|link|email|text))"
        r"|\b(?:everything|things)(?: \S+){0,3} (?:blurry|blurred|fuzzy|hazy|misty"
        r"|out of focus|gone dark|went dark|going dark|gone black|went black|dimmed)\b",
        rf"\b(?:eye|eyes|eyelid|vision|sight|eyesight|blurry|blurred|blind|double|spots"
        rf"|flashes)\b|{VISION_FILLER}",
    ),
    _sign("111", "heavy bleeding", near(BLEED, BLEED_SEVERE, 6)),
    _sign("111", "heavy bleeding", BLEED_ALONE),
    _sign(
        "111",
        "heavy bleeding",
        # "i cant get it to stop bleeding", "been bleeding for 3 hours", "socket keeps filling
        # with blood", "bled through the gauze"
        r"\b(?:cant|cannot|can not|wont|will not|unable to) (?:get|make) (?:it|the \w+|them)"
        r" (?:to )?stop(?: bleeding)?\b"
        r"|\b(?:been|still|keeps?|kept|has been|is) (?:bleeding|oozing blood)(?: \S+){0,3}"
        r" (?:for|over|all) (?:\S+ ){0,2}(?:hours?|hrs?|night|day|evening|afternoon|morning)\b"
        r"|\b(?:keeps?|kept|is|its|mouth|socket)(?: \S+)? (?:filling|filled|full) (?:up )?(?:with"
        r"|of) blood\b|\b(?:bled|bleeding|bleed) (?:right )?through (?:the |all the |\S+ )?"
        r"(?:gauze|pads?|towel|tissues?)\b",
    ),
    _sign(
        "111",
        "heavy bleeding after treatment",
        near(BLEED, r"(?:a lot|loads|lots|badly|really bad|quite a lot)", 3),
        AFTER,
        TREATMENT,
    ),
    _sign(
        "111",
        "severe pain",
        r"\bin (?:absolute |such |total |real )?(?:agony|severe pain|excruciating pain"
        r"|unbearable pain|extreme pain)\b",
    ),
    _sign(
        "111",
        "severe pain",
        r"\b(?:excruciating|unbearable|agonising|agonizing|killing me|cant sleep|cannot sleep"
        r"|worst pain|ten out of ten|cant cope|cannot cope)\b",
        rf"\b{PAIN}\b|\bkilling me\b",
        r"\b(?:my|im|ive|i have|i am|shes|hes|she is|he is)\b",
    ),
    _sign(
        "111",
        "severe pain after treatment",
        rf"\b{PAIN_SEVERE}(?: \S+)? {PAIN}\b|\b{PAIN}(?: is| are| has been| feels| getting)?"
        rf"(?: \S+)? {PAIN_SEVERE}\b|\bin (?:so much|a lot of|terrible|awful) pain\b",
        AFTER,
        TREATMENT,
    ),
    _sign(
        "111",
        "severe pain",
        r"\b(?:tooth|teeth|jaw|gum|gums|face|mouth|lip|lips|head|ear)(?: \S+){0,2} (?:is|are)"
        r" killing me\b",
    ),
    _sign("111", "severe facial swelling", near(SWELL, FACE, 5), SWELL_SEVERE),
    _sign(
        "111",
        "spreading facial swelling",
        near(
            FACE,
            r"(?:getting bigger|keeps? getting bigger|keeps? growing|growing|spreading"
            r"|doubled in size|twice the size|double the size)",
            5,
        ),
    ),
    _sign(
        "111",
        "swelling spreading to the eye or neck",
        near(
            SWELL,
            r"(?:into|towards|toward|up to|down to|down into|up into|spread to|spreading to"
            r"|moving to|going to|gone to|reached|reaching|round to|across to)(?: my| her| his"
            r"| the| their)? (?:eye|eyes|eyelid|neck|throat|ear|temple)",
            8,
        ),
    ),
    _sign(
        "111",
        "trouble swallowing with a dental infection",
        r"\b(?:cant|cannot|can not|couldnt|barely|hardly|hard to|hurts to|painful to|difficult to"
        r"|struggling to|struggle to|trouble|difficulty|problems?|unable to|not able to)"
        r"(?: really| properly)? (?:swallow|swallowing)\b",
        r"\b(?:abscess|infection|infected|swollen|swelling|swelled|wisdom|extraction|gum|gums"
        r"|jaw|tooth|teeth)\b",
    ),
    _sign(
        "111",
        "abscess or swelling with fever",
        r"\b(?:fever|feverish|high temperature|temperature|high temp|a temp|temp|shivering"
        r"|shivers|shivery|chills|rigors|hot and cold|sweats)\b",
        r"\b(?:abscess|swollen|swelling|infection|infected|extraction|tooth|gum|gums|jaw)\b",
    ),
    _sign(
        "111",
        "spreading abscess",
        near(r"abscess", r"(?:spreading|spread|spreads|face|eye|neck|swallow|cant open)", 8),
    ),
    _sign(
        "111",
        "says it is an emergency",
        rf"\b(?:its|it is|this is|having|have|got|ive got|(?<!how much )is|need) (?:an |a )?"
        rf"(?:urgent )?"
        rf"(?:medical |dental )?emergency\b{NOT_APPOINTMENT}"
        # "EMERGENCY, my face is swelling": the word first, as a cry for help.
        rf"|^(?:emergency|sos)\b{NOT_APPOINTMENT}(?= .*\b(?:my|me|i|im|she"
        rf"|he|her|his|mum|dad|son|daughter|husband|wife|partner|child|baby)\b)",
        unless=FIGURATIVE_EMERGENCY,
    ),
)

_HYPOTHETICAL = re.compile(HYPOTHETICAL)
_OWNED = re.compile(OWNED)
_LEVEL_ORDER = {"crisis": 0, "999": 1, "111": 2}


@dataclass(frozen=True)
class Emergency:
    level: str  # "999" | "111" | "crisis"
    details: tuple[str, ...]


def detect_emergency(message: str) -> Emergency | None:
    """The emergency the message describes, or None."""
    text = normalise(message)
    found = [
        s
        for s in SIGNS
        if s.pattern.search(text)
        and all(n.search(text) for n in s.needs)
        and not (s.unless and s.unless.search(text))
    ]
    if not found:
        return None
    general = _HYPOTHETICAL.search(text) and not _OWNED.search(text)
    if general and all(s.level != "crisis" for s in found):
        return None
    found.sort(key=lambda s: _LEVEL_ORDER[s.level])
    details = tuple(dict.fromkeys(s.detail for s in found))
    return Emergency(level=found[0].level, details=details)
