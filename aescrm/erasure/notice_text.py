"""Wording the privacy notice includes about erasure and the suppression list.

Plain British English for patients; ``{clinic_name}`` is filled in by the notice.
"""

from __future__ import annotations

ERASURE_HEADING = "If you ask us to erase your data"

ERASURE_TEXT = (
    "If you ask {clinic_name} to erase your data, we delete your record and everything linked "
    "to it: your contact details, enquiries, appointments, messages (texts, emails and call "
    "records), website chats, notes, consent history and the marketing information that shows "
    "how you found us. Anything we have sent to advertising platforms stops being updated. "
    "We tell you before we start if we must keep something: records of treatments you paid "
    "for are financial records we must keep by law (usually six years), so we keep the date, "
    "treatment and price with no name or contact details; and a legal hold (for example during "
    "a legal claim) can delay erasure until it ends. Our audit log keeps a note that the "
    "erasure happened, who did it and when, but none of your details."
)

BACKUPS_TEXT = (
    "Erasure reaches our backups too. Each person's details are locked with a key of their "
    "own, and erasing you destroys that key, so copies of your details in earlier backups can "
    "never be read again. The separate store of keys has backups of its own, kept for no "
    "more than 35 days, so within 35 days nothing anywhere can unlock your details."
)

SUPPRESSION_HEADING = "Why we keep a scrambled copy of your email address and phone number"

SUPPRESSION_TEXT = (
    "So that we do not add you back by mistake (for example from an old contact list) or send "
    "you automatic or bulk messages after you have been erased, we keep a suppression list. It "
    "holds only a one-way, keyed fingerprint of your email address and phone number: it cannot "
    "be turned back into them, and it tells us nothing else about you. Our staff are warned if "
    "they try to add you again, and our systems send nothing to those details. If you get in "
    "touch with us again yourself, by our website, chat, text, phone or email, we treat you as "
    "a new enquiry and take you off the suppression list, because you chose to contact us."
)


def erasure_notice(clinic_name: str) -> list[tuple[str, str]]:
    """(heading, paragraph) pairs for the clinic's privacy notice."""
    return [
        (ERASURE_HEADING, ERASURE_TEXT.format(clinic_name=clinic_name) + " " + BACKUPS_TEXT),
        (SUPPRESSION_HEADING, SUPPRESSION_TEXT),
    ]
