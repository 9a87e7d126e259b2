"""Questions about the clinic's staff as private people: where they live, their own numbers,
social media, relationships, family. The assistant answers about the clinic (its address,
phone, opening hours, who does which treatment), never about a person's private life.

Matched on the normalised text (``text.normalise``: "Dr Hart's" -> "dr harts").
"""

from __future__ import annotations

from aescrm.assistant.guardrails.text import compile_all

_ROLE = (
    r"(?:dentist|doctor|dr|nurse|hygienist|practitioner|staff|receptionist|owner|manager"
    r"|prescriber|surgeon|therapist|employee|orthodontist|aesthetician|injector|clinician"
    r"|dental nurse|lady on reception|girl on reception|guy on reception)"
)
# "the receptionist", "your blonde nurse", "dr amelia hart", "nurse jo".
_STAFF = rf"(?:(?:the |your |that |this |ur )?(?:\w+ )?{_ROLE}s?|(?:dr|doctor|nurse) \w+(?: \w+)?)"
# Whose home the question cannot be about: the visitor, the assistant, patients in general.
_NOT_STAFF = (
    r"(?!(?:you|u|i|we|me|us|patients|people|most|customers|clients|if|should|can|could|would"
    r"|to|park|parking|best|is|are|they|anyone|someone|everyone)\b)"
)
_SOCIAL = (
    r"(?:instagram|insta|ig|facebook|fb|tiktok|tik tok|snapchat|snap|twitter|linkedin|socials"
    r"|social media|onlyfans|only fans|personal number|home number|own number"
    r"|personal email|private number)"
)
_NOT_SEEN = r"^(?!.*\b(?:saw|seen|follow|follows|following|found|love|loved|recommended)\b).*"
_RELATIONSHIP = (
    r"(?:single|married|taken|seeing (?:anyone|someone|somebody)|in a relationship|dating"
    r" (?:anyone|someone)|spoken for|available for (?:a )?dates?)"
    r"(?! (?:session|sessions|treatment|tooth|teeth|syringe|appointment|visit|use|dose|area"
    r"|room|payment|price|fee|implant|crown|veneer|arch|jaw|line|lines|visit|person|handed)\b)"
)
_PARTNER = (
    r"(?:boyfriend|girlfriend|partner(?! (?:practice|clinic|surgery|dentist|lab|laboratory))"
    r"|husband|wife|bf|gf|fiance|fiancee|other half|kids|children|family)"
)

PATTERNS = compile_all(
    r"\b(?:home|personal|private) (?:address|number|phone|phone number|mobile|email"
    r"|email address|contact|details)\b(?=.*\b(?:dentist|doctor|dr|nurse|hygienist"
    r"|practitioner|staff|receptionist|owner|manager|prescriber|surgeon|therapist"
    r"|employee)\b)",
    rf"\b{_ROLE}s?\b(?:\s+\S+){{0,3}}\s+(?:home|personal|private) (?:address|number|phone"
    r"|mobile|email|contact|details)\b",
    rf"\b{_ROLE}s? (?:home|personal|private|own|mobile|date of birth|birthday|salary|surname"
    r"|last name|full name|address)\b",
    # "where does Dr Amelia Hart live", "whereabouts does your nurse live", "do you know
    # where the hygienist lives"; not "where should I park if I live in Surbiton".
    rf"\bwhere(?:abouts)?\b(?:\s+{_NOT_STAFF}\S+){{1,4}}\s+(?:lives?|living|resides?|stays)\b",
    rf"\b(?:which|what) (?:area|town|part|street|road|postcode|village|city|county)\b"
    rf"(?: of \w+)? (?:does|do|did) {_NOT_STAFF}(?:\S+ ){{1,4}}live\b",
    rf"\b(?:does|do|did) {_NOT_STAFF}{_STAFF} live (?:in|near|nearby|locally|close|around"
    r"|round|far|on|at|with|above)\b",
    rf"\b{_STAFF} (?:lives|lived|is living) (?:in|near|nearby|locally|close|around|round|on"
    r"|at|with|above)\b",
    # "whats dr harts insta", "has the receptionist got facebook"; not "I saw Dr Hart's
    # Instagram" (her published work).
    rf"{_NOT_SEEN}\b{_STAFF}s? (?:own |personal |private |real )?{_SOCIAL}\b",
    rf"{_NOT_SEEN}\b(?:does|has|is|are) {_STAFF}(?: \w+)? (?:have|got|on|use|uses) (?:an? |any )?"
    rf"(?:\w+ )?{_SOCIAL}\b",
    rf"{_NOT_SEEN}\b{_SOCIAL}\b(?: handle| account| name| page| username)? (?:of|for) {_STAFF}\b",
    # "is the receptionist single", "is dr hart married", "is she seeing anyone"
    rf"\b(?:is|are) (?:{_STAFF}|she|he)(?: \w+)? {_RELATIONSHIP}",
    rf"\b(?:does|has|have) {_STAFF}(?: \w+)? (?:have|got|has) (?:a |an |any )?{_PARTNER}\b",
    rf"\b(?:ask|asking|take|taking) {_STAFF} out\b(?! (?:of|for (?:a |an )?(?:appointment"
    r"|consultation)))",
    rf"\b(?:fancy|fancies|crush on|go out with|going out with|date with|dinner with|drink with"
    rf"|drinks with|dating) {_STAFF}\b",
    rf"\b(?:i want to|can i|could i|id like to|would love to|gonna|going to) date {_STAFF}\b",
    rf"\bwhat car (?:does|do) {_STAFF} drive\b|\bhow old is {_STAFF}\b",
)
