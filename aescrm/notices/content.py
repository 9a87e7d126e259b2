"""The privacy notice and the AI disclosure, section by section, from a clinic's configuration.

Each section has generated wording; a clinic may replace any section with its
own (``NoticeOverride``) and reset it to the generated wording later. Text is
plain: blank lines separate paragraphs, and a paragraph whose lines all start
with "- " is a list. Nothing here is HTML, so nothing a clinic writes can
become markup on the public page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from aescrm.assistant.models import EngineChoice
from aescrm.erasure.notice_text import erasure_notice
from aescrm.notices.configuration import ClinicConfig
from aescrm.notices.models import Notice

# Seed periods from the product's privacy policy (shared/domain/uk-clinics.md).
RETENTION = (
    (
        "Your patient record, appointments and messages",
        "while you are our patient and for 7 "
        "years after our account with AES-CRM ends, then destroyed",
    ),
    ("Advertising measurement data (click ids, campaign and page details)", "2 years"),
    ("The log of who looked at or changed your record (audit log)", "7 years"),
)


@dataclass(frozen=True)
class Block:
    """A paragraph, or a list when ``items`` is set."""

    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]
    overridden: bool = False

    @property
    def plain(self) -> str:
        return to_plain(self.blocks)


def to_plain(blocks: tuple[Block, ...]) -> str:
    parts = []
    for block in blocks:
        if block.items:
            parts.append("\n".join(f"- {item}" for item in block.items))
        else:
            parts.append(block.text)
    return "\n\n".join(parts)


def from_plain(text: str) -> tuple[Block, ...]:
    blocks = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("- ") for line in lines):
            blocks.append(Block(items=tuple(line.lstrip()[2:].strip() for line in lines)))
        else:
            blocks.append(Block(text="\n".join(lines)))
    return tuple(blocks)


def _p(*texts: str) -> tuple[Block, ...]:
    return tuple(Block(text=t) for t in texts if t)


def _contact(config: ClinicConfig) -> str:
    ways = []
    if config.contact_email:
        ways.append(f"by email to {config.contact_email}")
    if config.contact_phone:
        ways.append(f"by phone or text on {config.contact_phone}")
    if config.help_contact:
        ways.append(config.help_contact)
    if not ways:
        return "You can contact us at the clinic, in person, by phone or by email."
    return "You can contact us " + "; ".join(ways) + "."


def privacy_sections(config: ClinicConfig) -> list[Section]:
    name = config.clinic.name
    sections = [
        Section(
            "who",
            "Who we are",
            _p(
                f"{name} is the controller of the personal data described here: we decide how "
                "and why it is used. We use AES-CRM, a system run by AES-CRM Ltd, to keep our "
                "patient records and messages; AES-CRM Ltd processes your data only on our "
                "instructions.",
                _contact(config),
            ),
        ),
        Section(
            "data",
            "What we hold about you",
            (
                Block(
                    items=(
                        "Your contact details: name, email address, phone number, and your "
                        "date of birth and address if you give them",
                        "Your enquiries, appointments, the treatments you asked about or had, "
                        "and notes our team makes about your care",
                        "Our messages with you"
                        + (f" ({', '.join(config.channels)})" if config.channels else ""),
                        "Your choices about marketing, and when and how you made them",
                        "How you found us: the advert or page that led to your enquiry",
                    )
                ),
            ),
        ),
        Section(
            "purposes",
            "Why we use it, and our lawful bases",
            (
                Block(
                    items=(
                        "To answer your enquiry and book and run your appointments: taking "
                        "steps at your request and providing the care you asked for (UK GDPR "
                        "Article 6(1)(b)); health details under Article 9(2)(h), the provision "
                        "of health care",
                        "To send appointment reminders and aftercare: our legitimate interest "
                        "in running appointments on time (Article 6(1)(f))",
                        "To send you offers and news: only with your consent, per channel "
                        "(Article 6(1)(a) and PECR); you can withdraw it at any time",
                        "To keep records we must keep by law, such as clinical records: legal "
                        "obligation (Article 6(1)(c))",
                        "To learn which of our adverts work: our legitimate interest (Article "
                        "6(1)(f)), with the safeguards below",
                    )
                ),
            ),
        ),
        Section("channels", "How we contact you", _channels(config)),
    ]
    if config.chat:
        sections.append(
            Section(
                "assistant",
                "Our website assistant",
                _p(
                    "The chat on our website is answered first by an automated assistant. "
                    + _engine_sentence(config),
                    "What you type is kept by us as part of your record if you give your "
                    "details; if you do not, the conversation is deleted "
                    f"{settings.CHAT_ANONYMOUS_RETENTION_DAYS} days after it ends.",
                    "Read more in our AI disclosure.",
                ),
            )
        )
    if config.measurement:
        platforms = " and ".join(
            p for p, on in (("Google Ads", config.google), ("Meta", config.meta)) if on
        )
        sections.append(
            Section(
                "measurement",
                "Advertising measurement",
                _p(
                    f"When you reach us from an advert, we tell {platforms} that the click "
                    "led to an enquiry, a booking or a visit, so we can see which adverts "
                    "work. We send the advert's click id, the time and the value; we never "
                    "send your name, and any email address or phone number goes only as a "
                    "one-way scrambled (hashed) value. Tell us if you object and we will stop."
                ),
            )
        )
    recipients = [f"{s.name} ({s.location}): {s.purpose}" for s in config.sub_processors]
    sections += [
        Section(
            "sharing",
            "Who we share it with",
            (
                Block(
                    text="AES-CRM Ltd runs the system we use, and these companies work for it "
                    "under contract. Where your data leaves the UK it is protected by UK "
                    "adequacy regulations or the UK International Data Transfer Addendum."
                ),
                *((Block(items=tuple(recipients)),) if recipients else ()),
                Block(text="We never sell your data."),
            ),
        ),
        Section(
            "retention",
            "How long we keep it",
            (Block(items=tuple(f"{what}: {period}" for what, period in RETENTION)),),
        ),
        Section(
            "rights",
            "Your rights",
            (
                Block(
                    text="You have the right to ask for a copy of your data, to have it "
                    "corrected, erased or moved to another provider, to restrict how we use "
                    "it, and to object to marketing and profiling."
                ),
                Block(
                    text="To use any of these rights, contact us in any way (see "
                    "\u201cWho we are\u201d). We answer within one calendar month; for "
                    "complex requests we may extend this by up to two further months and "
                    "will tell you within the first month. There is normally no fee."
                ),
                Block(
                    text="To stop marketing at once, reply STOP to a text or use the "
                    "unsubscribe link in any marketing email."
                ),
            ),
        ),
        *(
            Section(key, heading, _p(text))
            for key, (heading, text) in zip(
                ("erasure", "suppression"), erasure_notice(name), strict=True
            )
        ),
        Section(
            "complaints",
            "Complaints",
            _p(
                "If you are unhappy with how we use your data, please tell us first. You can "
                "also complain to the Information Commissioner's Office (ICO): ico.org.uk/"
                "make-a-complaint, or 0303 123 1113."
            ),
        ),
    ]
    return sections


def _channels(config: ClinicConfig) -> tuple[Block, ...]:
    items = []
    if config.sms:
        items.append("Text messages (SMS): reminders and replies; marketing only with consent")
    if config.email:
        items.append("Email: confirmations and replies; marketing only with consent")
    if config.calls:
        items.append("Phone calls to our number: we record when you called, not what was said")
    if config.chat:
        items.append("Chat on our website")
    if not items:
        return _p("We contact you in person, by phone or by post.")
    return (
        Block(items=tuple(items)),
        Block(
            text="Reminders about your own appointments are not marketing; you get them "
            "unless you ask us to restrict how we use your data."
        ),
    )


def _engine_sentence(config: ClinicConfig) -> str:
    if config.engine == EngineChoice.LLM:
        return (
            "It uses a language model run by an outside service"
            + (f" ({config.llm_host})" if config.llm_host else "")
            + ", which receives what you type in order to answer and keeps nothing for its "
            "own use."
        )
    return "It runs inside AES-CRM itself and sends what you type to no outside service."


def ai_sections(config: ClinicConfig) -> list[Section]:
    name = config.clinic.name
    urgent = f" or our urgent line {config.urgent_phone}" if config.urgent_phone else ""
    sections = [
        Section(
            "what",
            "What the assistant is",
            _p(
                f"The chat on {name}'s website is answered by an automated assistant, not a "
                "person. It answers from our own published information (treatments, prices, "
                "opening hours, policies) and can offer appointment times.",
                _engine_sentence(config),
            )
            if config.chat
            else _p(f"{name} does not use an automated assistant on its website at present."),
        ),
        Section(
            "limits",
            "What it will not do",
            (
                Block(
                    items=(
                        "It never gives medical advice; questions about your health go to "
                        "our clinicians",
                        f"If something sounds urgent it tells you to call 999, NHS 111{urgent}",
                        "It does not promote prescription-only medicines",
                    )
                ),
            ),
        ),
        Section(
            "logging",
            "What happens to what you type",
            _p(
                "Every conversation is logged, encrypted, for safety and so our team can "
                "check what the assistant said. If you give your details the conversation "
                "joins your patient record; if not, it is deleted "
                f"{settings.CHAT_ANONYMOUS_RETENTION_DAYS} days after it ends.",
            ),
        ),
        Section(
            "automation",
            "Other automated processing",
            _p(
                "We also use automation to send appointment reminders and follow-ups, and to "
                "put new enquiries in order so we answer the most urgent first. These only "
                "help our team: no decision with legal or similarly significant effect on you "
                "is made by a machine alone (UK GDPR Article 22).",
            ),
        ),
        Section(
            "person",
            "Talking to a person",
            _p(
                "Ask the assistant to speak to a person at any time and our team will take "
                "over the chat or contact you. You can object to any automated processing; "
                "see our privacy notice for your rights.",
            ),
        ),
    ]
    return sections


def generated(notice: str, config: ClinicConfig) -> list[Section]:
    return privacy_sections(config) if notice == Notice.PRIVACY else ai_sections(config)
