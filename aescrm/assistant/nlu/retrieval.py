"""Find the clinic's knowledge a message is about: weighted word overlap with fuzzy matching.

Each doc is indexed once per catalogue (cached on the docs tuple): the
normalised words of its title, keywords, category and kind, and answer, each
field with its own weight. A query word earns the best field weight of a doc
holding it (or a misspelling of it, scaled by similarity, or a related word
from ``synonyms.RELATED`` at a discount); the score is mostly how much of the
query a doc covers, weighted by how rare each word is, plus a little for how
much of the doc's title the query covers (so "lip filler" prefers "Lip filler"
to "Lip filler and cheek filler package").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aescrm.assistant.engines.base import KnowledgeDoc, KnowledgeHit

from .extract import extract_email, extract_name, extract_phone
from .synonyms import BACKGROUND_WORDS, CONCERN_WORDS, EXPANSIONS, QUERY_EXPANSIONS, RELATED
from .text import closest, normalise, singular, tokens, word_set

THRESHOLD = 55.0
TREATMENT_THRESHOLD = 60.0

_FIELD_WEIGHTS = {"title": 1.0, "keywords": 0.9, "category": 0.7, "answer": 0.5}
_RELATED_CREDIT = 0.65
_QUERY_SHARE = 0.8  # the rest of the score is title coverage

# Words that carry no topic: question words, chat filler, and the enquiry
# words every message about a treatment uses ("price", "book").
STOPWORDS = word_set("""
    a about all also am an and any anything are as at be been before being but by can
    could did do does doing for from get getting give go going got had has have having he her
    here him his how i if in into is it just know let like looking me mine more most much my
    need of off on one or our please really she should so some someone something than that the
    their them then there these they thing things this those to too up us very want wanted was
    we well were what when where which who why will with would yes you your yours hi hello hey
    thanks tell info information interested wondering wonder details detail find out get price
    cost charge fee fees quote how much book booking appointment treatment treatments wife
    husband partner daughter son mum mom mother dad father friend sister brother
    am is are was offer offers provide provided currently cannot not no ok okay ask
    asking question questions again still ever its im ive id near nearby around
    please pls clinic clinics practice surgery place accept accepted take taking use using see
    day lose lost possible possibly able allowed done doing nearest whereabouts whereabout
    """)

# Words that say when, who or how politely, never which treatment: find_treatment
# leaves them out rather than count them against every treatment ("can I book the
# hygienist on saturday" names the hygienist as surely as "hygienist" does).
_NOT_A_TREATMENT = word_set("""
    monday tuesday wednesday thursday friday saturday sunday weekend weekday today tomorrow
    tonight next last week weeks month months morning afternoon evening lunchtime night am pm
    early earlier late later soon sooner asap time times date day days o clock after before
    work school actually instead rather prefer preferably change changed switch maybe perhaps
    also too just think thought try like love do go make made have get got else different
    another same sorry hi hello hiya thanks thank cheers ok okay great lovely fine sure yes no
    cheap cheaper cheapest expensive pricey much many lot lots fell fallen fall came come out
    broke broken hurt hurts hurting sore pain painful mine self myself wanting wanted hoping
    available free slot slots space spaces one two three first second third need needs needed
    would could should might must shall start starting begin new patient patients year years
    old aged age birthday name number mobile phone email contact called surname details
    child children kid kids son daughter boy girl teenager teen
    """)
# Words that name a kind of visit rather than a treatment: they decide only when
# nothing else in the message names one ("a consultation for Invisalign").
_GENERIC = word_set("consultation consult session sessions course injection injections procedure")


@dataclass(frozen=True)
class _Index:
    docs: tuple[KnowledgeDoc, ...]
    postings: dict[str, dict[int, float]]  # word -> doc index -> best field weight
    titles: list[frozenset[str]]  # each doc's title words (without numbers)
    idf: dict[str, float]
    vocabulary: list[str]
    max_idf: float


def _words(text: str) -> list[str]:
    return [singular(w) for w in tokens(text) if w not in STOPWORDS]


_CHILD_AGE = re.compile(
    r"\b(\d{1,2}) ?(?:years?|yrs?|yo|y o)(?: old)?\b"
    # "my son is 9", "my daughter who's 12", "my boy, aged 7", "our 2 kids (6 and 9)"
    r"|\b(?:son|daughter|boy|girl|kid|kids|child|children|grandson|granddaughter|nephew|niece"
    r"|stepson|stepdaughter|little one|teenager)\b(?: who)?(?: is| s| aged| age)? (\d{1,2})\b"
)
# Words that say the visitor is asking for a child, whatever the age.
_CHILD_WORDS = word_set("""
    kid kids child children toddler toddlers baby babies little one ones teen teens teenager
    teenagers schoolboy schoolgirl
    """)
# "Driving from Surbiton", "coming from Wimbledon": where the visitor sets off is not a topic.
_FROM_PLACE = re.compile(r"\b(?:from|via|through|near|in|at|around) ([a-z][a-z-]*)")


def _child(normalised: str) -> bool:
    """True when a message is about a child: a child word, or a son or daughter under 18."""
    words = set(normalised.split())
    if words & _CHILD_WORDS or "little one" in normalised:
        return True
    for m in _CHILD_AGE.finditer(normalised):
        age = m.group(1) or m.group(2)
        if age and int(age) < 18:
            return True
    return False


def _query_words(text: str) -> list[str]:
    # A bare number in a question is an age, a count or a time, never what it is about
    # ("my daughter is 14" must not find "14 Riverside Walk").
    words = [w for w in _words(text) if not w.isdigit()]
    # "My 7 year old", "my son is 9", "can my kids come": a child, whom the children's
    # policy is about.
    # Only before "for": in "are you NHS for kids' check-ups?" the child is whom it is for.
    if _child(normalise(_FOR.split(text, maxsplit=1)[0])):
        words.append("child")
    extra = [
        singular(x) for w in words for x in QUERY_EXPANSIONS.get(w, ()) if singular(x) not in words
    ]
    return list(dict.fromkeys(words + extra))


def _build(docs: tuple[KnowledgeDoc, ...]) -> _Index:
    postings: dict[str, dict[int, float]] = {}
    titles: list[frozenset[str]] = []
    for i, doc in enumerate(docs):
        fields = {
            "title": _words(doc.title),
            "keywords": _words(doc.keywords),
            "category": _words(f"{doc.category} {doc.kind}"),
            "answer": _words(doc.answer),
        }
        titles.append(frozenset(w for w in fields["title"] if not any(c.isdigit() for c in w)))
        for name, words in fields.items():
            weight = _FIELD_WEIGHTS[name]
            for word in words:
                per_doc = postings.setdefault(word, {})
                if per_doc.get(i, 0.0) < weight:
                    per_doc[i] = weight
    n = max(len(docs), 1)
    idf = {w: math.log(1.0 + n / len(p)) for w, p in postings.items()}
    return _Index(
        docs=docs,
        postings=postings,
        titles=titles,
        idf=idf,
        vocabulary=sorted(postings),
        max_idf=math.log(1.0 + n),
    )


_CACHE: dict[tuple[KnowledgeDoc, ...], _Index] = {}
_CACHE_SIZE = 8


def _index(docs: Sequence[KnowledgeDoc]) -> _Index:
    key = tuple(docs)
    found = _CACHE.get(key)
    if found is None:
        found = _build(key)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = found
    return found


# Indexed and query words are singular ("directions" -> "direction"): so are the groups.
_RELATED_BY_WORD: dict[str, frozenset[str]] = {}
for _plain in RELATED:
    _group = _plain | {singular(w) for w in _plain}
    for _word in _group:
        _RELATED_BY_WORD[_word] = _RELATED_BY_WORD.get(_word, frozenset()) | _group


def _alternatives(word: str, index: _Index) -> list[tuple[str, float]]:
    """The index words that may stand for ``word``, each with the credit it earns (0..1)."""
    found: list[tuple[str, float]] = []
    if word in index.postings:
        found.append((word, 1.0))
    elif word not in BACKGROUND_WORDS and word not in CONCERN_WORDS:
        # Known real words are never "corrected" ("reaction" is not "direction").
        near = closest(word, index.vocabulary, cutoff=82.0)
        if near is not None:
            found.append((near[0], near[1] / 100.0))
    for related in _RELATED_BY_WORD.get(word, frozenset()) - {word}:
        if related in index.postings:
            found.append((related, _RELATED_CREDIT))
    return found


def _expanded(word: str) -> set[str]:
    return {singular(x) for x in (*EXPANSIONS.get(word, ()), *QUERY_EXPANSIONS.get(word, ()))}


def _scores(
    query: str, index: _Index, ignore: frozenset[str] = frozenset()
) -> list[tuple[int, float]]:
    words = _query_words(query)
    places = _places(query)
    found = _scores_of(words, index, ignore, places)
    if "child" in words and "child" not in _words(query):
        # "Child" is read into a message about a son of 9. The children's policy comes first
        # when it fits with it ("can my 7 year old come for a check-up"); the treatment asked
        # about still fits without it ("my daughter is 14, can she have her lips done"),
        # after whatever fitted with it.
        best = dict(found)
        fitted = [score for _, score in found if score >= THRESHOLD]
        below = min(fitted) - 0.1 if fitted else 100.0
        plain = [w for w in words if w != "child"]
        for i, score in _scores_of(plain, index, ignore, places):
            if best.get(i, 0.0) < THRESHOLD:
                best[i] = max(best.get(i, 0.0), min(score, below))
        found = sorted(best.items(), key=lambda r: -r[1])
    return found


def _places(text: str) -> frozenset[str]:
    """Words that may name a place the visitor comes from ("driving from Surbiton")."""
    return frozenset(singular(m.group(1)) for m in _FROM_PLACE.finditer(normalise(text)))


def _scores_of(
    words: list[str],
    index: _Index,
    ignore: frozenset[str] = frozenset(),
    places: frozenset[str] = frozenset(),
) -> list[tuple[int, float]]:
    if not words:
        return []
    present = set(words)
    total_weight = 0.0
    earned: dict[int, float] = {}
    matched: dict[int, set[str]] = {}
    for word in words:
        alternatives = _alternatives(word, index)
        if alternatives:
            weight = max(index.idf.get(w, index.max_idf) for w, _ in alternatives)
            if word in places:
                weight /= 2  # "from Kingston station": where from says less than what about
        elif (
            word in ignore
            or word in CONCERN_WORDS
            or word in BACKGROUND_WORDS
            or word in places
            or _expanded(word) & present
        ):
            # Where or what for ("forehead", "sweating"), chatter ("roughly", "wedding"),
            # or a brand the clinic does not name whose treatment the message names too
            # ("dysport" -> anti-wrinkle).
            continue
        else:
            # An unknown word counts against every doc, at half a rare word's weight:
            # "laser hair removal" must not score as "laser skin resurfacing".
            weight = index.max_idf / 2
        total_weight += weight
        best: dict[int, float] = {}
        for alt, credit in alternatives:
            for doc_i, field_weight in index.postings[alt].items():
                value = credit * field_weight
                if value > best.get(doc_i, 0.0):
                    best[doc_i] = value
                matched.setdefault(doc_i, set()).add(alt)
        for doc_i, value in best.items():
            earned[doc_i] = earned.get(doc_i, 0.0) + weight * value
    results = []
    for doc_i, value in earned.items():
        coverage = value / total_weight
        title = index.titles[doc_i]
        title_share = len(title & matched[doc_i]) / len(title) if title else 0.0
        score = 100.0 * (_QUERY_SHARE * coverage + (1 - _QUERY_SHARE) * title_share)
        results.append((doc_i, round(score, 1)))
    results.sort(key=lambda r: -r[1])
    return results


# "Are you NHS for children's check-ups?", "finance for Invisalign", "how do I get to
# you from Surbiton": what comes before "for" or "from" is what is asked about, what
# follows only says for whom, what for or where from.
_FOR = re.compile(r"\b(?:for|4|from)\b", re.I)
# Prescription-only procedures that are not the treatment they mention in passing:
# dissolving filler (hyaluronidase) is not "Lip filler", and weight-loss injections are no
# aesthetic treatment at all. Each: how a message names it, and the words a clinic's
# treatment uses when the clinic does offer it.
_UNLISTED: dict[str, tuple[re.Pattern[str], frozenset[str]]] = {
    "filler_dissolving": (
        re.compile(
            r"\bfiller-dissolving\b"
            r"|\bdissolv\w*\b( [\w-]+){0,4} (filler|lip|cheek|chin|jawline|tear|nose|it|them)\b"
            r"|\b(filler|lip|cheek|chin)\b( [\w-]+){0,4} dissolv\w*"
        ),
        word_set("filler-dissolving dissolving dissolve hyaluronidase"),
    ),
    "weight_loss_injection": (
        re.compile(
            r"\bweight-loss-injection\b"
            r"|\b(lose|losing|lost|shed|drop) (some |a bit of |a lot of |the )?weight\b"
            r"|\b(slim|slimming|diet|appetite)\b( [\w-]+){0,2} "
            r"(injection|injections|jab|jabs|pen|pens)\b"
        ),
        word_set("weight-loss-injection weight slimming"),
    ),
}


_UNLISTED_TOKEN = {
    "filler_dissolving": "filler-dissolving",
    "weight_loss_injection": "weight-loss-injection",
}


def _procedure(text: str, docs: Sequence[KnowledgeDoc]) -> tuple[str, bool] | None:
    """(the procedure of ``_UNLISTED`` that ``text`` asks about, whether the clinic lists it)."""
    said = normalise(text)
    for key, (pattern, words) in _UNLISTED.items():
        if pattern.search(said):
            offered = {
                w
                for d in docs
                if d.kind == "treatment"
                for w in normalise(f"{d.title} {d.keywords}").split()
            }
            return key, bool(offered & words)
    return None


def unlisted_procedure(text: str, docs: Sequence[KnowledgeDoc]) -> str | None:
    """The prescription-only procedure ``text`` asks about that the clinic does not list.

    "filler_dissolving" (hyaluronidase: "hyalase", "dissolve my lip filler") or
    "weight_loss_injection" ("skinny jab", "Mounjaro", "Ozempic"), when no treatment in
    ``docs`` offers it; else None. ``find_treatment`` then names no treatment and ``rank``
    no treatment doc: dissolving filler is not "Lip filler (1ml)".
    """
    found = _procedure(text, docs)
    return found[0] if found is not None and not found[1] else None


_CHILDREN_QUERY = "children child kids under 18 age parent guardian"


def children_policy(text: str, docs: Sequence[KnowledgeDoc]) -> KnowledgeDoc | None:
    """The clinic's item on seeing children, when ``text`` is about a child; else None.

    "My son is 9, can he see the hygienist with me?" is about the hygienist (``rank`` and
    ``find_treatment`` say so), and the children's policy belongs beside that answer.
    """
    if not _child(normalise(text)):
        return None
    items = [d for d in docs if d.kind != "treatment"]
    if not items:
        return None
    scored = _scores_of(_query_words(_CHILDREN_QUERY), _index(items))
    if not scored or scored[0][1] < THRESHOLD:
        return None
    return items[scored[0][0]]


_HEAD_SHARE = 0.95


def rank(query: str, docs: Sequence[KnowledgeDoc], limit: int = 3) -> list[KnowledgeHit]:
    """The docs best matching ``query``, best first, each scoring at least ``THRESHOLD`` of 100.

    When nothing fits the whole query, a doc may score (slightly discounted) on the
    part before its first "for" or "from", so the modifier does not drown the topic.
    """
    if not docs:
        return []
    unlisted = unlisted_procedure(query, docs)
    if unlisted is not None:
        # Not the filler being dissolved: the clinic's other items (a consultation fee) may fit.
        docs = [d for d in docs if d.kind != "treatment"]
        if unlisted == "filler_dissolving":
            query = f"{query} consultation"
        if not docs:
            return []
    index = _index(docs)
    best = dict(_scores(query, index))
    head = _FOR.split(query, maxsplit=1)[0]
    if head != query and max(best.values(), default=0.0) < THRESHOLD:
        for i, score in _scores(head, index):
            best[i] = max(best.get(i, 0.0), round(score * _HEAD_SHARE, 1))
    ranked = sorted(best.items(), key=lambda r: -r[1])
    hits = [
        KnowledgeHit(doc=index.docs[i], score=score) for i, score in ranked if score >= THRESHOLD
    ]
    return hits[:limit]


def _treatment_words(text: str, index: _Index) -> list[str]:
    """The words of ``text`` that may name a treatment: no contact details, name or number."""
    for found in (extract_email(text), extract_phone(text)):
        if found:
            text = text.replace(found, " ")
    text = _EMAIL_OR_NUMBER.sub(" ", text)
    name = extract_name(text)
    skip = {singular(w) for w in tokens(" ".join(name))} if name else set()
    words = [w for w in _query_words(text) if w not in skip]
    specific = [w for w in words if w not in _GENERIC]
    if any(_alternatives(w, index) for w in specific):
        return specific
    return words


_EMAIL_OR_NUMBER = re.compile(r"\S+@\S+|\+?\d[\d\s()-]{6,}\d")


_CLAUSE_BREAK = re.compile(r"[.!?;,\n]+|\s(?:and|but|so|because|although|though)\s", re.I)


def _best_treatment(text: str, index: _Index) -> tuple[int | None, bool]:
    """(the doc ``text`` names, whether any treatment came close): None when unsure."""
    scored = _scores_of(_treatment_words(text, index), index, _NOT_A_TREATMENT)
    if not scored or scored[0][1] < TREATMENT_THRESHOLD:
        return None, False
    # Two treatments scoring alike ("Lip filler 0.5ml" / "Lip filler 1ml"): let the visitor choose.
    if len(scored) > 1 and scored[0][1] - scored[1][1] < 3.0:
        return None, True
    return scored[0][0], True


# A change of mind names the treatment wanted now: "make it a hygienist appointment
# instead, whitening after", "switch it to cheek filler", "I'd rather have bonding".
_SWITCH_TO = re.compile(
    r"\b(?:make (?:it|that|this|mine)|switch (?:it |that |this |my booking |my appointment |over )?"
    r"(?:to|for)|change (?:it |that |this |my booking |my appointment |the treatment )?(?:to|for)|"
    r"swap (?:it |that |this )?(?:to|for)|go for|rather (?:have|do|get|book|go for)|rather)\s+"
    r"(?P<target>(?:(?!\b(?:than|instead of|not)\b)[^.,;!?])+)",
    re.I,
)
# "Bonding instead", "whitening instead of bonding": what comes before "instead".
_INSTEAD = re.compile(r"(?P<target>[^.,;!?]+?)\s+instead\b", re.I)


def _switched_to(text: str, index: _Index) -> int | None:
    """The treatment a change of mind asks for, when the message has one."""
    for pattern in (_SWITCH_TO, _INSTEAD):
        for match in pattern.finditer(text):
            found, _ = _best_treatment(match.group("target"), index)
            if found is not None:
                return found
    return None


def find_treatment(text: str, docs: Sequence[KnowledgeDoc]) -> KnowledgeDoc | None:
    """The treatment ``text`` names, or None when no treatment (or more than one) fits well.

    A change of mind names the one wanted now ("make it a hygienist appointment instead,
    whitening after"). A long message is read clause by clause when the whole does not
    settle it ("chipped my front tooth eating a crusty roll, can I get an emergency
    appointment today?"): the clauses that name a treatment must all name the same one.
    """
    treatments = [d for d in docs if d.kind == "treatment"]
    if not treatments:
        return None
    procedure = _procedure(text, treatments)
    if procedure is not None:
        if not procedure[1]:
            return None  # not offered: certainly not the filler it would dissolve
        # Offered: the procedure, not the area it is for ("dissolve my lip filler").
        text = _UNLISTED_TOKEN[procedure[0]]
    index = _index(treatments)
    switched = _switched_to(text, index)
    if switched is not None:
        return index.docs[switched]
    found, close = _best_treatment(text, index)
    if found is not None:
        return index.docs[found]
    if close:
        return None  # two treatments fit the whole message alike: the visitor chooses
    clauses = [c for c in _CLAUSE_BREAK.split(text) if c and c.strip()]
    if len(clauses) < 2:
        return None
    named: set[int] = set()
    for clause in clauses:
        found, close = _best_treatment(clause, index)
        if close and found is None:
            said = set(_treatment_words(clause, index)) - BACKGROUND_WORDS - _NOT_A_TREATMENT
            if said <= _GENERIC:
                continue  # "I think I need a consultation first": says what kind, not which
            return None
        if found is not None:
            named.add(found)
    return index.docs[named.pop()] if len(named) == 1 else None
