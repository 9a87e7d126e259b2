"""Text normalisation shared by intent classification, retrieval and extraction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from aescrm.patients.normalise import fold

from .synonyms import CONTRACTIONS, EXPANSIONS, PHRASES, SPELLING

_APOSTROPHES = re.compile(r"[’‘`´]")
_APOS_CONTRACTION = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in CONTRACTIONS if "'" in k) + r")(?![a-z])"
)
# Keep letters, digits, hyphens inside words (re-split below), and nothing else.
_NON_WORD = re.compile(r"[^a-z0-9]+")

_SPLIT_CONTRACTIONS = {k: v for k, v in CONTRACTIONS.items() if "'" not in k}


def _phrase_table() -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    table = {tuple(k.split()): tuple(v.split()) for k, v in PHRASES.items()}
    table.update({tuple(k.split()): tuple(v.split()) for k, v in _SPLIT_CONTRACTIONS.items()})
    return table, max(len(k) for k in table)


_PHRASE_TABLE, _PHRASE_MAX = _phrase_table()


def _apply_phrases(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_PHRASE_MAX, len(tokens) - i), 0, -1):
            replacement = _PHRASE_TABLE.get(tuple(tokens[i : i + size]))
            if replacement is not None:
                out.extend(replacement)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _apply_spelling(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.extend(SPELLING.get(token, token).split())
    return out


def _apply_expansions(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for i, token in enumerate(tokens):
        out.append(token)
        for extra in EXPANSIONS.get(token, ()):
            nearby = out[-4:] + tokens[i + 1 : i + 4]
            if extra not in nearby:
                out.append(extra)
    return out


def _split(text: str) -> list[str]:
    text = fold(text)
    text = _APOSTROPHES.sub("'", text)
    text = _APOS_CONTRACTION.sub(lambda m: CONTRACTIONS[m.group(1)], text)
    text = text.replace("'", "")  # "o'neil" -> "oneil", possessives "clinic's" -> "clinics"
    return _NON_WORD.sub(" ", text).split()


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower case, accents folded, punctuation gone, misspellings and synonyms made canonical.

    "How much is Invislign?" -> "how much is invisalign"; "botox" -> "botox anti-wrinkle";
    "lip filers" -> "lip filler"; "teeth straightening" -> "teeth-straightening".
    """
    tokens = _apply_phrases(_split(text))
    tokens = _apply_spelling(tokens)
    # A second pass catches phrases whose words were misspelt ("lip filers", "check upp").
    tokens = _apply_phrases(tokens)
    tokens = _apply_expansions(tokens)
    return " ".join(tokens)


def tokens(text: str) -> list[str]:
    return normalise(text).split()


def singular(token: str) -> str:
    """A light English plural strip for matching ("clinics" -> "clinic"), never below 4 letters.

    Hyphenated tokens are canonical forms from the phrase table ("frown-lines"): left alone.
    """
    if "-" in token:
        return token
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def closest(word: str, vocabulary: Iterable[str], cutoff: float = 85.0) -> tuple[str, float] | None:
    """The vocabulary word a misspelt ``word`` most likely means, with its similarity (0..100).

    Words under five letters are never corrected: at that length one typo
    already makes a different real word ("park"/"pork", "book"/"look").
    """
    if len(word) < 5:
        return None
    found = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
    if found is None:
        return None
    return found[0], float(found[1])


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list written as one string (for word tables)."""
    return frozenset(text.split())
