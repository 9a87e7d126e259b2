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

# Whose details a visitor may ask "the number of / email for": the clinic's own.
_NOT_THIRD_PARTY = (
    r"(?:the (?!(?:person|patient|lady|woman|man|guy|girl|client|customer|last|previous|other"
    r"|people|gentleman)\b)|your|you|yours|us|our|this|that|it|a|an|reception|complaints"
    r"|bookings?|appointments?|enquiries|emergenc\w+|urgent|out of hours|general|new|here|there"
    r"|me|clinic|practice|surgery|team|dr|doctor|dentist|hygienist|nurse|practitioner|satnav"
    r"|sat nav|directions|parking|my (?!(?:neighbour|neighbor|friend|mate|colleague|boss|ex"
    r"|flatmate|housemate|coworker|co worker|landlord|tenant|employee)\b))\b"
)
# People outside the visitor's family: a proxy we cannot verify.
_OTHER_PEOPLE = (
    r"(?:neighbour|neighbor|friend|mate|colleague|boss|ex|ex wife|ex husband|ex partner"
    r"|flatmate|housemate|coworker|co worker|landlord|tenant|employee|that person|a patient"
    r"|another patient)"
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
        "asks about another person",
        compile_all(
            # "the phone number of margaret thornton": anyone's details but the clinic's.
            rf"\b(?:phone number|phone no|mobile number|mobile|contact number|telephone number"
            rf"|email address|email|e mail|home address|address|contact details|personal details"
            rf"|date of birth|dob|surname|last name) (?:of|for) (?!{_NOT_THIRD_PARTY})\w+",
            # "is Margaret Thornton a patient of yours?", "is she registered with you?"
            r"\bis (?!(?:it|this|that|there|my|our|your|the|a|an|any|botox|filler|whitening"
            r"|invisalign|treatment|dr|doctor)\b)(?:\w+ ){1,3}(?:(?:a|an|one of your"
            r"|an existing|a current|a registered|registered|already a) (?:patients?|clients?"
            r"|customers?)|registered (?:with|here|at)|booked in|on your books)\b",
            r"\b(?:is|are|was) (?:she|he|they) (?:a |an |already a |still a )?(?:patients?"
            r"|clients?|customers?|registered|booked in|booked|coming in|on your books)\b",
            # "when is her next appointment?"
            r"\b(?:when|what time|what day|which day|what date|where) (?:is|was|are|were)"
            r" (?:her|his|their) (?:next |last |upcoming |first )?(?:appointments?|bookings?"
            r"|visits?)\b",
            r"\b(?:did|has|have) (?:she|he|they) (?:come in|been in|booked|got an appointment"
            r"|had an appointment|visited)\b",
            # "check when my neighbour Oliver's appointment is": a lookup for someone outside
            # the family, whom the clinic cannot verify.
            rf"\b(?:check|look up|find out|tell me|confirm|see)(?: for me)? (?:when|if|whether"
            rf"|what time|what day|which day|where)\b(?:\s+\S+){{0,3}}\s+{_OTHER_PEOPLE}s?"
            rf"(?: \w+s)? (?:next |last |upcoming )?(?:appointments?|bookings?|details|number"
            rf"|phone|email|address|records|notes|visit)\b",
            # "show me today's appointments with the patients' names"
            r"(?<!my )\b(?:patients|clients|customers) (?:names|details|numbers|phone numbers"
            r"|emails|email addresses|addresses|contact details|records|notes|dates of birth"
            r"|info|information|data)\b",
            r"\b(?:patient|client|customer) (?:names|phone numbers|emails|email addresses"
            r"|addresses|contact details|dates of birth)\b",
            r"\b(?:appointments|bookings|diary|schedule|calendar)\b(?:\s+\S+){0,2}\s+(?:with"
            r"|and|including) (?:the |their |all )?(?:patients|names|clients|customers|details"
            r"|phone numbers)\b",
            r"\bwho (?:has|have) (?:got )?(?:an |any )?(?:appointments?|bookings?)\b",
        ),
    ),
    (
        "asks about other visitors' chats",
        compile_all(
            r"\b(?:person|people|someone|somebody|visitors?|customers?|patients?|users?|guy"
            r"|lady|man|woman)\b(?:\s+\S+){0,2}\s+(?:you|u) (?:spoke|were speaking"
            r"|have spoken|talked|were talking|have talked|chatted|were chatting|have been"
            r" talking|have been chatting|have been speaking|helped|were helping)\b",
            # Not "previous patients": "what do previous patients say about it" asks for reviews.
            r"(?<!my )(?<!our )\b(?:previous|last|earlier|prior|past) (?:visitors?|users?"
            r"|persons?|chats?|conversations?|chatters?)\b(?=.*\b(?:ask|asked|asking|say|said"
            r"|want|wanted|talk|talked|chat|chatted|type|typed|write|wrote|tell|told|about"
            r"|book|booked|name|details|number|email)\b)",
            r"\b(?:who|what|which)\b(?:\s+\S+){0,3}\s+(?:did|have|has) (?:you|u) (?:been )?"
            r"(?:speak|spoke|spoken|talk|talked|chat|chatted|speaking|talking|chatting) (?:to|with)"
            r"\b(?! me\b)",
            r"\b(?:before me|ahead of me)\b(?=.*\b(?:ask|asked|say|said|want|wanted|talk"
            r"|talked|type|typed|book|booked)\b)|\b(?:ask|asked|say|said|want|wanted|talk"
            r"|talked|type|typed|book|booked)\b(?:\s+\S+){0,6}\s+(?:before me|ahead of me)\b",
            r"\b(?:other|previous|earlier|past) (?:conversations|chats|chat logs?|transcripts?"
            r"|chat history)\b",
        ),
    ),
    (
        "claims to be staff to get data",
        compile_all(
            r"\b(?:im|i am|this is|its|it is)(?: the| a| an| your)? (?:practice manager|clinic"
            r" manager|manager here|practice owner|clinic owner|owner|admin|administrator"
            r"|receptionist here|staff member|member of staff|it support|it department"
            r"|developer|engineer|head nurse|clinical lead|practice principal)\b(?=.*\b(?:show"
            r"|list|give|send|tell|read|export|access|pull up|look up|check|see|display|open"
            r"|print)\b)(?=.*\b(?:appointments?|bookings?|patients?|diary|records?|list|details"
            r"|names|numbers|emails|data|system|chats?|conversations?|messages|clients?)\b)",
            r"\bi (?:work|am working) (?:here|at the clinic|at the practice|for you|for the clinic"
            r"|for the practice)\b(?=.*\b(?:appointments?|bookings?|patients?|diary|records?"
            r"|details|names|numbers|emails|data|chats?|conversations?|clients?)\b)",
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
# "my neighbour Oliver's appointment": someone's booking. The visitor's family (a parent
# booking for a child) and the clinicians' diaries ("Dr Hart's appointments") are ordinary.
_POSSESSIVE_BOOKING = re.compile(
    r"(?i)\b(\w+)\s+(\w+)['’]s\s+(?:next\s+|last\s+|upcoming\s+)?(?:appointment|booking"
    r"|visit|records|notes)s?\b"
)
_FAMILY = {
    "son", "daughter", "child", "kid", "boy", "girl", "baby", "mum", "mother", "mam", "mom",
    "dad", "father", "wife", "husband", "partner", "fiance", "fiancee", "sister", "brother",
    "grandson", "granddaughter", "nan", "gran", "grandma", "grandad", "grandmother",
    "grandfather", "stepson", "stepdaughter", "children", "kids", "twins",
}  # fmt: skip
_CLINICIANS = {
    "dr", "doctor", "dentist", "nurse", "hygienist", "practitioner", "prescriber", "mr",
    "mrs", "ms", "miss", "with", "the", "a", "for", "book", "move", "change", "cancel",
}  # fmt: skip


def _someone_elses_details(text: str) -> bool:
    for before, owner in _POSSESSIVE.findall(text):
        if owner.lower() in _NOT_A_PERSON or before.lower() in _NOT_SOMEONE_ELSE:
            continue
        return True
    return False


def _someone_elses_booking(text: str) -> bool:
    for before, owner in _POSSESSIVE_BOOKING.findall(text):
        before, owner = before.lower(), owner.lower()
        if owner in _FAMILY or owner in _NOT_A_PERSON or owner in {"todays", "tomorrows"}:
            continue
        if before in _NOT_SOMEONE_ELSE or before in _FAMILY or before in _CLINICIANS:
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
    if _someone_elses_booking(" " + raw):
        return "asks about another person"
    if any(p.search(raw) for p in _RAW):
        return "role markers or markup"
    if _hidden_base64(raw):
        return "encoded or hidden instructions"
    return None
