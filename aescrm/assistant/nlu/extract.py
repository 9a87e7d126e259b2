"""Contact details, names, yes/no and ages pulled out of a visitor's reply."""

from __future__ import annotations

import re

from aescrm.patients.normalise import clean_email, clean_phone, fold

from .synonyms import SPELLING, TREATMENT_WORDS
from .text import normalise, word_set

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def extract_email(text: str) -> str | None:
    """The first valid email address in ``text``, lower-cased; None if there is none."""
    for match in _EMAIL.finditer(text):
        candidate = match.group(0).strip(".'-")
        try:
            return clean_email(candidate)
        except ValueError:
            continue
    return None


# A run of digits with the separators people type: "+44 (0)7911 123-456", "07911 123456".
_PHONE = re.compile(r"(?<![\w@.])(?:\+|00)?\d[\d\s().-]{8,20}\d(?![\w@])")


def extract_phone(text: str) -> str | None:
    """The first UK (or +country) phone number in ``text`` in E.164, or None.

    Accepted when libphonenumber calls it *possible* (the house rule, decision
    0004: the Ofcom drama ranges such as 07700 900123 are used in training), but
    only with 10 or more digits and a leading 0, +, or 00 so that dates, prices
    and order numbers are never read as a phone number.
    """
    for match in _PHONE.finditer(text):
        raw = match.group(0).strip()
        raw = raw.replace("(0)", "")  # "+44 (0)7911 ..." -> "+44 7911 ..."
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 10 or not (raw.startswith(("0", "+"))):
            continue
        if raw.startswith("00"):
            raw = "+" + raw[2:]
        try:
            return clean_phone(raw)
        except ValueError:
            continue
    return None


# ---- names -----------------------------------------------------------------------------------

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "sir", "dame", "rev"})
_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "bin"}
)

# Words that follow "I'm" / "it's" / "this is" or turn up alone but are not names.
_NOT_NAMES = (
    word_set("""
    yes yeah yep yup no nope nah ok okay sure fine hi hello hey hiya thanks thank cheers please
    bye morning afternoon evening good great well not just only also still here there now then
    interested looking wondering calling enquiring asking hoping trying thinking after free
    available busy happy unhappy sorry new old young pregnant worried nervous scared anxious a
    an the and or but so if my your his her our their me you him them us it this that these i am
    is are was were be been will would can could should may might do does did have has had on in
    at to for from with about of by as over under up down out off into booking book appointment
    consultation price cost treatment clinic dentist doctor nurse patient customer mum dad
    mother father wife husband daughter son friend partner today tomorrow yesterday monday
    tuesday wednesday thursday friday saturday sunday weekend week month year morning evening
    asap anytime any time whenever what when where who why how which fab lovely perfect
    brilliant cool right correct wrong true false name called surname first last full email
    phone number mobile bot robot human person someone somebody anyone nobody back home work
    away off ill sick fine alright too very so really quite urgent important expensive cheap
    quick serious bad terrible awful painful sore swollen bleeding emergency late early ready
    done finished confused lost unsure certain positive definitely probably hopefully
    regarding concerning re about enquiry query question
    """)
    | TREATMENT_WORDS
    | frozenset(SPELLING)
    | frozenset(v for v in SPELLING.values() if " " not in v)
)

_NAME_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*"
# Introductions that can only precede a name, and ones that often precede something else
# ("I'm interested", "it's urgent"): after those a name needs a capital or a title.
_STRONG_INTRO = re.compile(
    r"(?:^|[\s,.!;:(])"
    r"(?:my name is|my name's|my names|name is|name's|i am called|i'm called|im called|"
    r"call me|my full name is|full name is|you can call me|name:|name -)\s+(?P<rest>.+)",
    re.IGNORECASE,
)
_WEAK_INTRO = re.compile(
    r"(?:^|[\s,.!;:(])(?:this is|it's|its|it is|i am|i'm|im|i’m|it’s)\s+(?P<rest>.+)",
    re.IGNORECASE,
)
_HERE = re.compile(
    rf"^\s*(?:hi|hello|hey|hiya)?[\s,]*(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)\s+here\b", re.I
)
_STOP = re.compile(r"\s(?:and|but|from|i|i'm|im|here|please|thanks|thank|my|from|who|looking|"
                   r"calling|wanting|with|on|at|email|phone|number|mobile|tel)\b|[,.!?;:()\n]|\d|@",
                   re.IGNORECASE)  # fmt: skip


def _title_case(word: str) -> str:
    if word.lower() in _PARTICLES:
        return word.lower()
    if any(c.isupper() for c in word[1:]) and word[0].isupper():
        return word  # "McDonald", "DeVito": the visitor's own capitals
    return "-".join(
        "'".join(p[:1].upper() + p[1:].lower() for p in part.split("'"))
        for part in word.replace("’", "'").split("-")
    )


# Words that even capitalised after a first name are no surname: "Next Week", "Lip Filler".
_NEVER_SURNAME = (
    word_set("""
    week weeks month months year years today tomorrow yesterday morning afternoon evening
    night tonight monday tuesday wednesday thursday friday saturday sunday weekend asap
    appointment appointments booking consultation treatment one two please thanks
    """)
    | TREATMENT_WORDS
)


def _name_words(
    fragment: str, *, limit: int = 4, capitalised_surname: bool = False
) -> list[str] | None:
    """The name words at the start of ``fragment``, or None if they are not a name.

    ``capitalised_surname``: after a capitalised first name, a capitalised word that is also
    an ordinary word may be the surname ("Gemma Price", "Sarah Young", "Tom Cost")."""
    stop = _STOP.search(" " + fragment)
    head = (" " + fragment)[: stop.start()] if stop else " " + fragment
    words = head.split()
    while words and fold(words[0]).strip(".") in _TITLES:
        words = words[1:]
    if not words or len(words) > limit:
        return None
    for n, word in enumerate(words):
        if not re.fullmatch(_NAME_WORD, word):
            return None
        not_a_name = normalise(word) in _NOT_NAMES or fold(word) in _NOT_NAMES or len(word) < 2
        surname = (
            capitalised_surname
            and n > 0
            and len(word) > 2
            and word[0].isupper()
            and not word.isupper()
            and words[0][0].isupper()
            and normalise(word) not in _NEVER_SURNAME
        )
        if not_a_name and fold(word) not in _PARTICLES and not surname:
            return None
    return words


def _split_name(words: list[str]) -> tuple[str, str]:
    first, *rest = words
    return _title_case(first), " ".join(_title_case(w) for w in rest)


def extract_name(text: str, *, expecting: bool = False) -> tuple[str, str] | None:
    """(first name, last name) the visitor gave; the last name may be "".

    Explicit introductions always count ("I'm Jane Smith", "my name is jane",
    "Jane here", "it's Mr John O'Neil"); a bare "Jane Smith" only when the
    assistant has just asked for the name (``expecting``).
    """
    # Contact details given alongside the name ("Emma Watson, emma@example.com") are
    # not part of it: take them out first, leaving a break where they were.
    text = _PHONE.sub(" , ", _EMAIL.sub(" , ", text))
    text = re.sub(r"(?:\s*[,;:–-]\s*)+$", "", text.strip()).strip()
    if not text:
        return None
    here = _HERE.match(text)
    if here:
        words = _name_words(here.group("name"), limit=2)
        if words:
            return _split_name(words)
    for intro in _STRONG_INTRO.finditer(text):
        words = _name_words(intro.group("rest"), limit=3)
        if words:
            return _split_name(words)
    for intro in _WEAK_INTRO.finditer(text):
        rest = intro.group("rest")
        words = _name_words(rest, limit=3)
        titled = fold(rest.split()[0]).strip(".") in _TITLES
        if words and (expecting or titled or words[0][:1].isupper()):
            return _split_name(words)
    if expecting:
        bare = re.sub(
            r"^\s*(?:hi|hello|hey|hiya|sure|ok|okay|yes|yeah|of course)\b[\s,!.-]*",
            "",
            text,
            flags=re.I,
        )
        bare = re.sub(r"^(?:mr|mrs|ms|miss|mx|dr)\.?\s+", "", bare, flags=re.I)
        bare = re.sub(r"\s*(?:[,;:/–-]|\band\b)\s*$", "", bare.strip(" .!")).strip(" .!")
        if bare and not re.search(r"[\d@]", bare) and len(bare.split()) <= 4:
            words = _name_words(bare, limit=4, capitalised_surname=True)
            if words and " ".join(words) == " ".join(bare.split()):
                return _split_name(words)
    return None


# ---- yes / no --------------------------------------------------------------------------------

_NO = re.compile(
    r"^(no|nope|nah|na|no thanks|no thank you|not really|not now|not yet|not today|never|"
    r"negative|i would rather not|rather not|i do not|i am not|do not|please do not|no way|"
    r"not for me|not interested|no need|i will pass|pass|nothing|none|wrong|incorrect|"
    r"that is wrong|that is not right|not quite|stop|cancel)\b"
)
_YES = re.compile(
    r"^(yes|yeah|yea|yep|yup|ye|y|aye|sure|ok|okay|k|kk|alright|all right|fine|go ahead|"
    r"please do|please|yes please|of course|absolutely|definitely|certainly|correct|right|"
    r"that is right|that is correct|that is fine|that is great|that is perfect|that works|"
    r"sounds good|sounds great|sounds perfect|perfect|great|lovely|brilliant|fab|good|"
    r"i do|i am|i agree|agreed|happy to|go for it|do it|book it|confirm|confirmed|why not|"
    r"i would like that|i would love that|love to|yes i am|yes i do|indeed|exactly|thumbs up)\b"
)
_UNSURE = re.compile(r"\b(not sure|unsure|maybe|perhaps|do not know|dunno|no idea|depends|might)\b")


def yes_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when the reply is neither (or unsure)."""
    said = normalise(text.replace("👍", " thumbs up "))
    said = re.sub(r"^(oh|um|erm|er|well|hmm|hi|hello)\s+", "", said)
    if not said or _UNSURE.search(said):
        return None
    if _NO.match(said):
        return False
    if _YES.match(said):
        return True
    return None


# ---- age -------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty one": 21,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
}  # fmt: skip
_N = r"(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
# "I'm 16 weeks pregnant", "she is 2 minutes away": a number that is not an age.
_NOT_AGE = (
    "am|pm|o clock|minutes|mins|hours|weeks|months|days|ml|units|times|of|to|or|pounds|quid|k"
)
_AGE_PATTERNS = (
    re.compile(rf"\b{_N} ?(years?|yrs?|yo|y o)( old)?\b"),
    re.compile(rf"\b(aged|age|age is|ages) {_N}\b"),
    re.compile(
        rf"\b(i am|she is|he is|they are|shes|hes|i will be|i turn|i turned|just turned) {_N}\b"
        rf"(?! ({_NOT_AGE}))"
    ),
)


def extract_age(text: str) -> int | None:
    """The age of the person to be treated: "I'm 16", "aged 15", "my 16 year old daughter"."""
    said = normalise(text)
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(said):
            number = next(g for g in match.groups() if g and (g.isdigit() or g in _NUMBER_WORDS))
            age = int(number) if number.isdigit() else _NUMBER_WORDS[number]
            if 1 <= age <= 120:
                return age
    return None


# "I'm 45" said of oneself, in a message about nobody else: the visitor is the patient.
_OWN_AGE = re.compile(
    rf"\b(?:i am|i will be|i turn|i turned|just turned|i have just turned)"
    rf"(?: now| nearly| almost| just)? {_N}\b(?! (?:{_NOT_AGE})\b)"
)
_SOMEONE_ELSE = re.compile(
    r"\b(?:she|he|her|him|hers|his|they|them|daughter|son|sister|brother|niece|nephew|friend"
    r"|child|children|kid|kids|teen|teenager|grandson|granddaughter|stepdaughter|stepson|girl"
    r"|boy|cousin|mum|mom|mother|dad|father|wife|husband|partner|someone|somebody)\b"
)


def own_age(text: str) -> int | None:
    """The visitor's own age when they volunteer it ("book anti-wrinkle, I'm 45"); None when
    the message also speaks of someone else, who may be the one to be treated."""
    said = normalise(text)
    if _SOMEONE_ELSE.search(said):
        return None
    match = _OWN_AGE.search(said)
    if match is None:
        return None
    number = match.group(1)
    age = int(number) if number.isdigit() else _NUMBER_WORDS[number]
    return age if 1 <= age <= 120 else None
