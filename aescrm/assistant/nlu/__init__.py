"""Language understanding for the embedded website assistant: no model, no network.

Pure functions over strings and ``engines.base`` types, used by the embedded
engine's dialogue:

- ``normalise`` (text.py): lower case, accents folded, punctuation gone,
  misspellings and UK wording mapped to canonical words (table in synonyms.py).
- ``classify`` (intents.py): the visitor's intent from weighted phrase
  patterns, with safety intents taking precedence.
- ``rank`` / ``find_treatment`` (retrieval.py): the clinic knowledge a message
  is about, by weighted word overlap with fuzzy matching (rapidfuzz);
  ``unlisted_procedure``: a prescription-only procedure the clinic does not list
  (dissolving filler, weight-loss injections), which names no treatment;
  ``children_policy``: the clinic's item on children, for a message about a child.
- ``extract_*`` / ``own_age`` / ``yes_no`` (extract.py), ``parse_time_wish`` (when.py) and
  ``choose_slot`` (slots.py): details pulled out of a reply.
- ``split_questions`` / ``is_follow_up`` (questions.py): the questions in one
  message, and whether a short message continues the last one.
- ``consent_channels`` (consent.py): the channels a visitor agrees to for news
  and offers ("texts are fine", "emails only").
"""

from .consent import consent_channels
from .extract import extract_age, extract_email, extract_name, extract_phone, own_age, yes_no
from .intents import IntentGuess, classify
from .questions import is_follow_up, split_questions
from .retrieval import children_policy, find_treatment, rank, unlisted_procedure
from .slots import choose_slot
from .text import normalise
from .when import TimeWish, parse_time_wish

__all__ = [
    "IntentGuess",
    "TimeWish",
    "children_policy",
    "choose_slot",
    "classify",
    "consent_channels",
    "extract_age",
    "extract_email",
    "extract_name",
    "extract_phone",
    "find_treatment",
    "is_follow_up",
    "normalise",
    "own_age",
    "parse_time_wish",
    "rank",
    "split_questions",
    "unlisted_procedure",
    "yes_no",
]
