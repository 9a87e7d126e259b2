"""Prompt injection and data probing: attempts to change the assistant's rules, read its
instructions, or get other people's details out of it.

Matched on two copies of the message: the normalised text (see ``text.normalise``) and a
"de-obfuscated" one in which look-alike digits are letters again ("1gn0re") and spaced-out
letters are joined ("i g n o r e"). Encoded payloads (base64, role markers, markdown images
and links, HTML) are refused outright: a clinic visitor has no reason to send them.
"""

from __future__ import annotations

import base64
import binascii
import re

from aescrm.assistant.guardrails.text import clean, compile_all, normalise

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)

# Not "messages": "ignore my last message" is an ordinary correction.
_RULES = (
    r"(?:instructions?|rules?|prompts?|guidelines?|programming|restrictions?|constraints?"
    r"|guardrails?|polic(?:y|ies)|directives?|filters?|safeguards?)"
)
# Not "the instructions": visitors ask for aftercare instructions.
_SECRET_TEXT = (
    r"(?:system prompt|system message|your prompt|the prompt|initial prompt|original prompt"
    r"|hidden prompt|your instructions|hidden instructions|initial instructions"
    r"|original instructions|secret instructions|rules you (?:were|have been) given"
    r"|your configuration|your config|your programming|everything above|text above"
    r"|words above|your first message|your context|your training data|your directives"
    r"|developer message|pre prompt|preprompt)"
)

# Each pattern names a tactic; the name is the decision's detail.
TACTICS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = (
    (
        "asks to ignore its rules",
        compile_all(
            rf"\b(?:ignore|disregard|forget|override|overwrite|bypass|skip|drop|abandon|ditch"
            rf"|discard|neglect|stop following|dont follow|do not follow|no longer follow"
            rf"|break|set aside|suspend|turn off|disable|remove)\b(?:\s+\S+){{0,5}}\s+{_RULES}\b",
            r"\b(?:new|updated|real|true|actual) (?:instructions|rules|system prompt)\b",
            r"\bfrom now on(?: you| your| u)\b",
            r"\b(?:no|without any|without) (?:rules|filters|guardrails|safeguards)\b",
        ),
    ),
    (
        "role-play or jailbreak",
        compile_all(
            r"\byou are now\b|\byoure now\b|\bu r now\b|\byou will now be\b",
            r"\b(?:act|acting|behave|respond|answer|reply|talk|speak|roleplay|role play|pose)"
            r" as (?:a|an|if|my|the|though|though you)\b",
            r"\b(?:pretend|imagine) (?:to be|you are|youre|that you|u r|you were)\b",
            r"\bplay the (?:role|part) of\b|\broleplay\b|\brole play\b",
            r"\b(?:dan mode|dan prompt|as dan|be dan|do anything now|jailbreak\w*|jail break"
            r"|developer mode|dev mode|god mode|admin mode|debug mode|maintenance mode|sudo"
            r"|unfiltered|uncensored|aim mode)\b",
            r"\bsimulat\w* (?:a|an|being)\b",
            r"\bswitch (?:to|into) \w+ mode\b",
        ),
    ),
    (
        "asks for its instructions",
        compile_all(
            rf"\b(?:print|show|reveal|repeat|display|tell|give|output|share|leak|dump|paste|list"
            rf"|read|spell|translate|summari[sz]e|write|recite|echo|copy|send|what is|what are"
            rf"|whats|what were|explain)\b(?:\s+\S+){{0,4}}\s+{_SECRET_TEXT}\b",
            r"\bwhat (?:are|were) your (?:instructions|directives|rules and instructions)\b",
            r"\bhow (?:were|are|was) you (?:programmed|instructed|configured|set up|prompted"
            r"|told|trained)\b",
            r"\bwhat (?:were|have) you (?:been )?(?:told|instructed|programmed)\b",
            r"\bsystem prompt\b|\bprompt injection\b",
        ),
    ),
    (
        "asks about other patients",
        compile_all(
            r"\b(?:list|show|give|tell|send|export|dump|download|share|print|read out|see|view"
            r"|access|find|get)\b(?:\s+\S+){0,3}\s+(?:all|other|every|the|your|any)"
            r"(?:\s+\S+)?\s+(?:patients|clients|customers|users|members|bookings|contacts)\b",
            r"\b(?:list|show|give|tell|send|export|dump|share|print)\b(?:\s+\S+){0,2}\s+every"
            r" (?:patient|client|customer|booking)\b",
            r"(?<!my )\b(?:patient|client|customer|user|booking|appointment|contact) (?:list|lists"
            r"|records|database|data of|files)\b",
            r"\bwho else\b|\bwho (?:is|was|has|have|else|all) (?:booked|coming|in today|seen"
            r"|visited|been in|your patients)\b|\bwho (?:booked|came in|visited)\b",
            r"\b(?:other|another) (?:patients?|clients?|customers?|peoples?|persons?)"
            r"(?: \S+)? (?:details|numbers?|emails?|address\w*|names?|records?|appointments?"
            r"|bookings?|info\w*|data)\b",
            r"\b(?:which|what) (?:patients|clients|customers) (?:have|are|were|booked|came)\b",
            r"\b(?:someone|somebody|anyone|everyone|anybody) elses\b",
        ),
    ),
    (
        "asks for staff personal details",
        compile_all(
            r"\b(?:home|personal|private) (?:address|number|phone|phone number|mobile|email"
            r"|email address|contact|details)\b(?=.*\b(?:dentist|doctor|dr|nurse|hygienist"
            r"|practitioner|staff|receptionist|owner|manager|prescriber|surgeon|therapist"
            r"|employee)\b)",
            r"\b(?:dentist|doctor|dr|nurse|hygienist|practitioner|staff|receptionist|owner"
            r"|manager|prescriber|surgeon|therapist|employee)s?\b(?:\s+\S+){0,3}\s+(?:home"
            r"|personal|private) (?:address|number|phone|mobile|email|contact|details)\b",
            r"\b(?:dentist|doctor|dr|nurse|hygienist|practitioner|staff|receptionist|owner"
            r"|manager|prescriber|surgeon|therapist|employee)s? (?:home|personal|private|own"
            r"|mobile|date of birth|birthday|salary|surname|last name|full name|social media"
            r"|instagram|facebook|address)\b",
            r"\bwhere (?:does|do) (?:the |your |dr |doctor |nurse )?\w+ live\b",
        ),
    ),
    (
        "asks for the database or secrets",
        compile_all(
            r"\b(?:database|databases|db|sql|sqlite|postgres\w*|mysql|select from"
            r"|drop table|union select|admin panel|backend|back end|source code|command line"
            r"|env file|environment variables?|config file)\b",
            r"\b(?:api key|api keys|apikey|api token|secret key|secret keys|access token"
            r"|auth token|bearer token|private key|credentials|admin login|ssh key|tool calls?"
            r"|function calls?)\b|\b(?:admin|staff|your|system|database|server) passwords?\b",
        ),
    ),
    (
        "encoded or hidden instructions",
        compile_all(
            r"\b(?:base64|base 64|rot13|rot 13|hex encoded|encoded|decode|decoding|ciphertext"
            r"|unicode escape|morse)\b",
        ),
    ),
)

# Checked on the message as typed: markers of chat roles and markup a visitor never needs.
_RAW = compile_all(
    r"(?i)<\|?(?:im_start|im_end|system|assistant|user|endoftext)\|?>",
    r"(?i)\[/?(?:inst|system|sys)\]|<<\s*/?sys\s*>>",
    r"(?im)^\s*(?:#+\s*)?(?:system|assistant|developer|instructions?)\s*:",
    r"(?i)!\[[^\]]*\]\([^)]*\)",  # markdown image (a classic exfiltration channel)
    r"(?i)\[[^\]]*\]\(\s*(?:javascript|data|https?):[^)]*\)",  # markdown link
    r"(?i)<\s*(?:script|img|iframe|svg|style|a\s|object|embed)\b|<!--|javascript:",
    r"```|~~~",
    r"(?i)\{\{|\}\}|\{%|%\}|\$\{",
)
# "Sarah's phone number": someone's contact details, other than the clinic's or the visitor's.
_POSSESSIVE = re.compile(
    r"(?i)\b(\w+)\s+(\w+)['’]s\s+(?:(?:home|personal|private|mobile|phone|email|contact"
    r"|direct|own|full|work)\s+)?(?:phone|mobile|number|email|e-mail|address|contact|details"
    r"|date of birth|dob|surname|last name)\b"
)
_NOT_A_PERSON = {
    "clinic",
    "clinics",
    "practice",
    "surgery",
    "reception",
    "team",
    "office",
    "company",
    "business",
    "it",
    "that",
    "what",
    "who",
    "there",
    "here",
    "let",
    "he",
    "she",
    "where",
    "how",
    "when",
    "why",
    "this",
    "one",
    "today",
    "tomorrow",
    "name",
    "dentist",
    "doctor",
    "nurse",
    "hygienist",
    "practitioner",
    "receptionist",
}
_NOT_SOMEONE_ELSE = {"my", "our", "your"}


def _someone_elses_details(text: str) -> bool:
    for before, owner in _POSSESSIVE.findall(text):
        if owner.lower() in _NOT_A_PERSON or before.lower() in _NOT_SOMEONE_ELSE:
            continue
        return True
    return False


_BASE64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def _deobfuscated(text: str) -> str:
    lowered = clean(text).lower().translate(_LEET)
    # "i g n o r e" -> "ignore": runs of four or more single characters.
    lowered = re.sub(r"\b(?:[a-z]\s){3,}[a-z]\b", lambda m: m.group(0).replace(" ", ""), lowered)
    lowered = re.sub(r"(?<=[a-z])[.\-_*](?=[a-z])", "", lowered)
    return normalise(lowered)


def _hidden_base64(text: str) -> bool:
    for token in _BASE64.findall(text):
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        printable = sum(32 <= b < 127 for b in decoded)
        if decoded and printable / len(decoded) > 0.9:
            return True
    return False


def detect_injection(message: str) -> str | None:
    """The tactic the message tries, or None."""
    texts = (normalise(message), _deobfuscated(message))
    for tactic, patterns in TACTICS:
        if any(p.search(t) for p in patterns for t in texts):
            return tactic
    raw = clean(message)
    if _someone_elses_details(" " + raw):
        return "asks for someone's personal details"
    if any(p.search(raw) for p in _RAW):
        return "role markers or markup"
    if _hidden_base64(raw):
        return "encoded or hidden instructions"
    return None
