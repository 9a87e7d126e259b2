"""Text shaping shared by the checks: one lower-case, punctuation-light form to match against.

Visitors type on phones: no capitals, no apostrophes, misspelt symptoms ("cant breath",
"swolen", "bleading"). The checks match a normalised copy in which apostrophes are dropped
("can't" -> "cant"), punctuation becomes spaces and the common misspellings of the words
that matter are mapped to one spelling. The visitor's own text is never changed.
"""

from __future__ import annotations

import re
import unicodedata

# Misspellings seen in chat logs of the words the safety checks rely on. Exact tokens only:
# fuzzy matching would turn "leading" into "bleeding".
_SPELLINGS = {
    "breath": "breathe",
    "breth": "breathe",
    "brethe": "breathe",
    "breathe": "breathe",
    "breate": "breathe",
    "breahte": "breathe",
    "brath": "breathe",
    "breating": "breathing",
    "brething": "breathing",
    "breathin": "breathing",
    "breahting": "breathing",
    "breeathing": "breathing",
    "swolen": "swollen",
    "swollon": "swollen",
    "swolled": "swollen",
    "swelled": "swollen",
    "swollan": "swollen",
    "swolllen": "swollen",
    "swoolen": "swollen",
    "sollen": "swollen",
    "sweling": "swelling",
    "swellin": "swelling",
    "swellling": "swelling",
    "swellng": "swelling",
    "bleading": "bleeding",
    "bleedin": "bleeding",
    "bleding": "bleeding",
    "bleedng": "bleeding",
    "bledding": "bleeding",
    "bleeing": "bleeding",
    "bleeeding": "bleeding",
    "bleds": "bleeds",
    "bleads": "bleeds",
    "blead": "bleed",
    "blod": "blood",
    "bloood": "blood",
    "throut": "throat",
    "throte": "throat",
    "thraot": "throat",
    "troat": "throat",
    "toungue": "tongue",
    "tounge": "tongue",
    "tonge": "tongue",
    "tung": "tongue",
    "lipps": "lips",
    "fillar": "filler",
    "filller": "filler",
    "filer": "filler",
    "fillers": "filler",
    "filla": "filler",
    "absess": "abscess",
    "abcess": "abscess",
    "abscess": "abscess",
    "absces": "abscess",
    "abses": "abscess",
    "abscesses": "abscess",
    "abcsess": "abscess",
    "feaver": "fever",
    "fevor": "fever",
    "temprature": "temperature",
    "temperture": "temperature",
    "tempreture": "temperature",
    "visoin": "vision",
    "vison": "vision",
    "blurey": "blurry",
    "blury": "blurry",
    "bluey": "bluish",
    "anafalaxis": "anaphylaxis",
    "anaphalaxis": "anaphylaxis",
    "anaphylaxsis": "anaphylaxis",
    "anafilaxis": "anaphylaxis",
    "anaphylactic": "anaphylactic",
    "alergic": "allergic",
    "allergick": "allergic",
    "alergy": "allergy",
    "allergie": "allergy",
    "unconcious": "unconscious",
    "unconsious": "unconscious",
    "faited": "fainted",
    "fanted": "fainted",
    "feinted": "fainted",
    "colapsed": "collapsed",
    "collasped": "collapsed",
    "colapse": "collapse",
    "extration": "extraction",
    "extracion": "extraction",
    "extrraction": "extraction",
    "pregant": "pregnant",
    "pregnent": "pregnant",
    "preggers": "pregnant",
    "preggo": "pregnant",
    "pragnant": "pregnant",
    "breastfeading": "breastfeeding",
    "brestfeeding": "breastfeeding",
    "ibuprofin": "ibuprofen",
    "ibuprofun": "ibuprofen",
    "iboprofen": "ibuprofen",
    "ibrufen": "ibuprofen",
    "nurofen": "ibuprofen",
    "paracetemol": "paracetamol",
    "paracetmol": "paracetamol",
    "diabetic": "diabetes",
    "diabeties": "diabetes",
    "diabetis": "diabetes",
    "botex": "botox",
    "bottox": "botox",
    "botoxx": "botox",
    "definately": "definitely",
    "definatly": "definitely",
    "defiantly": "definitely",
    "deffo": "definitely",
    "defo": "definitely",
    "garantee": "guarantee",
    "guarentee": "guarantee",
    "gaurantee": "guarantee",
    "paine": "pain",
    "agoney": "agony",
    "excrutiating": "excruciating",
    "excruciatingly": "excruciating",
    "unbareable": "unbearable",
    "unberable": "unbearable",
    "instrucions": "instructions",
    "instuctions": "instructions",
    "intructions": "instructions",
    "instructons": "instructions",
    "previus": "previous",
    "prevous": "previous",
    "promt": "prompt",
    "propmt": "prompt",
    "yrs": "years",
    "yr": "year",
    "y/o": "yo",
}

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Letters that do not decompose into a base letter and an accent.
_UNACCENTED = str.maketrans(
    {"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i"}
)
_APOSTROPHES = re.compile("['’‘`´]")


def clean(text: str) -> str:
    """Unicode-normalised text without invisible characters (zero-width, direction marks)."""
    return _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))


def fold(text: str) -> str:
    """Lower case without accents: "précédentes" -> "precedentes", "pokaż" -> "pokaz"."""
    decomposed = unicodedata.normalize("NFKD", clean(text).lower().translate(_UNACCENTED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Lower case, accents folded, no apostrophes, punctuation as spaces, known misspellings
    mended. Accents are folded so that a message in French or Polish keeps its words whole."""
    lowered = fold(_APOSTROPHES.sub("", text))
    lowered = lowered.replace("y/o", " yo ").replace("10/10", " ten out of ten ")
    words = re.findall(r"[a-z0-9£]+(?:\.[0-9]+)?", lowered)
    return " ".join(_SPELLINGS.get(w, w) for w in words)


def any_match(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return found
    return None


def compile_all(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def sentences(text: str) -> list[str]:
    """Split into sentences, keeping line breaks as their own pieces so they can be rejoined."""
    pieces: list[str] = []
    for line in re.split(r"(\n+)", text):
        if line.startswith("\n") or not line:
            pieces.append(line)
            continue
        pieces.extend(p for p in re.split(r"(?<=[.!?])(\s+)(?=[A-Z0-9£\"'(])", line) if p)
    return pieces
