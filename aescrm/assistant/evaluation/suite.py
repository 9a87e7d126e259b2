"""Reading the evaluation suite (its format is documented at the top of suite.yaml).

Everything is checked before anything runs, so a typo in a case is one
readable line naming the file, the case and the field, not a crash halfway
through a run.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from aescrm.assistant.engines.base import INTENTS
from aescrm.assistant.models import BookingMode, KnowledgeKind

DEFAULT_PATH = Path(__file__).resolve().parent
CLINIC_FILE = "suite.yaml"

CATEGORIES = ("intent", "retrieval", "safety", "booking", "capture", "handoff", "small_talk")
# Which stored guardrail checks count as "this guardrail fired" for `expect.safety`.
SAFETY_CHECKS: dict[str, tuple[str, ...]] = {
    "medical": ("medical",),
    "emergency": ("emergency",),
    "prescription_medicine": ("prescription_medicine",),
    "under_18": ("under_18",),
    "injection": ("injection", "data_leak"),
}
ALL_SAFETY_CHECKS = frozenset(c for checks in SAFETY_CHECKS.values() for c in checks)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CAPTURE_FIELDS = {
    "first_name": str,
    "last_name": str,
    "phone": str,
    "email": str,
    "consent_sms": bool,
    "consent_email": bool,
    "consent_phone": bool,
}
TOUCH_FIELDS = (
    "gclid",
    "gbraid",
    "wbraid",
    "fbclid",
    "fbc",
    "fbp",
    "msclkid",
    "ttclid",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "landing_page",
    "referrer",
)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class SuiteError(Exception):
    """The suite cannot be run; the message names the file, case and field."""


@dataclass(frozen=True)
class Expect:
    intent: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    mentions_any: tuple[str, ...] = ()
    not_mentions: tuple[str, ...] = ()
    safety: tuple[str, ...] | None = None  # () = no safety guardrail may fire
    handoff: bool | None = None
    knowledge: str | None = None


@dataclass(frozen=True)
class Turn:
    say: str
    expect: Expect


@dataclass(frozen=True)
class SlotWindow:
    weekday: int | None = None  # 0 = Monday
    after: dt.time | None = None
    before: dt.time | None = None


@dataclass(frozen=True)
class End:
    booked: bool | None = None
    treatment: str | None = None
    slot: SlotWindow | None = None
    captured: dict[str, Any] = field(default_factory=dict)
    enquiry: bool | None = None
    attribution: dict[str, str] = field(default_factory=dict)
    handoff: bool | None = None
    emergency: bool | None = None


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    turns: tuple[Turn, ...]
    end: End
    attribution: dict[str, Any] | None
    source: str


@dataclass(frozen=True)
class TreatmentSpec:
    name: str
    category: str
    price_pence: int
    duration_minutes: int
    prescription_medicine: bool = False


@dataclass(frozen=True)
class PractitionerSpec:
    display_name: str
    profession: str
    hours: dict[int, tuple[dt.time, dt.time]]


@dataclass(frozen=True)
class KnowledgeSpec:
    kind: str
    title: str
    answer: str
    keywords: str = ""


@dataclass(frozen=True)
class PatientSpec:
    first_name: str
    last_name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ClinicSpec:
    name: str
    urgent_phone: str
    booking_mode: str
    treatments: tuple[TreatmentSpec, ...]
    practitioners: tuple[PractitionerSpec, ...]
    knowledge: tuple[KnowledgeSpec, ...]
    patients: tuple[PatientSpec, ...]


@dataclass(frozen=True)
class Suite:
    clinic: ClinicSpec
    cases: tuple[Case, ...]


class _At:
    """Where in the suite we are, for error messages: ``safety.yaml: case pom-x, turn 2``."""

    def __init__(self, where: str) -> None:
        self.where = where

    def then(self, part: str) -> _At:
        return _At(f"{self.where}, {part}")

    def fail(self, name: str, problem: str) -> NoReturn:
        raise SuiteError(f"{self.where}, field {name}: {problem}")

    def mapping(self, value: Any, name: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(name, f"must be a mapping of {', '.join(allowed)}")
        for key in value:
            if key not in allowed:
                self.fail(f"{name}.{key}", f"unknown field (expected one of {', '.join(allowed)})")
        return value

    def text(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or not value.strip():
            hint = " (quote it: YAML reads yes/no/on/off as true/false)"
            self.fail(name, "must be non-empty text" + (hint if isinstance(value, bool) else ""))
        return value

    def texts(self, value: Any, name: str) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            self.fail(name, "must be a list of text")
        return tuple(self.text(item, f"{name}[{n}]") for n, item in enumerate(items))

    def flag(self, value: Any, name: str) -> bool:
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
        return value

    def count(self, value: Any, name: str, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(name, f"must be a whole number of at least {minimum}")
        return value

    def choice(self, value: Any, name: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(name, f"{value!r} is not one of {', '.join(choices)}")
        return str(value)

    def clock(self, value: Any, name: str) -> dt.time:
        try:
            return dt.time.fromisoformat(self.text(value, name))
        except ValueError:
            self.fail(name, f"{value!r} is not a time like 09:30")


# --- the clinic --------------------------------------------------------------------


def _treatment(at: _At, raw: Any) -> TreatmentSpec:
    fields = ("name", "category", "price_pence", "duration_minutes", "prescription_medicine")
    data = at.mapping(raw, "treatment", fields)
    return TreatmentSpec(
        name=at.text(data.get("name"), "name"),
        category=str(data.get("category", "")),
        price_pence=at.count(data.get("price_pence"), "price_pence"),
        duration_minutes=at.count(data.get("duration_minutes"), "duration_minutes", 1),
        prescription_medicine=at.flag(
            data.get("prescription_medicine", False), "prescription_medicine"
        ),
    )


def _practitioner(at: _At, raw: Any) -> PractitionerSpec:
    data = at.mapping(raw, "practitioner", ("display_name", "profession", "hours"))
    hours: dict[int, tuple[dt.time, dt.time]] = {}
    for day, span in at.mapping(data.get("hours"), "hours", WEEKDAYS).items():
        match = _HOURS.match(span) if isinstance(span, str) else None
        if not match:
            at.fail(f"hours.{day}", f"{span!r} is not like 09:00-17:30")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            starts, ends = dt.time(h1, m1), dt.time(h2, m2)
        except ValueError:
            at.fail(f"hours.{day}", f"{span!r} is not a valid time range")
        if ends <= starts:
            at.fail(f"hours.{day}", f"{span!r} ends before it starts")
        hours[WEEKDAYS.index(day)] = (starts, ends)
    if not hours:
        at.fail("hours", "give at least one working day")
    return PractitionerSpec(
        display_name=at.text(data.get("display_name"), "display_name"),
        profession=str(data.get("profession", "")),
        hours=hours,
    )


def _knowledge(at: _At, raw: Any) -> KnowledgeSpec:
    data = at.mapping(raw, "knowledge", ("kind", "title", "answer", "keywords"))
    return KnowledgeSpec(
        kind=at.choice(data.get("kind", "faq"), "kind", tuple(KnowledgeKind.values)),
        title=at.text(data.get("title"), "title"),
        answer=at.text(data.get("answer"), "answer"),
        keywords=str(data.get("keywords", "")),
    )


def _patient(at: _At, raw: Any) -> PatientSpec:
    data = at.mapping(raw, "patient", ("first_name", "last_name", "phone", "email"))
    if not data.get("phone") and not data.get("email"):
        at.fail("phone", "give a phone or an email")
    return PatientSpec(
        first_name=at.text(data.get("first_name"), "first_name"),
        last_name=at.text(data.get("last_name"), "last_name"),
        phone=at.text(data["phone"], "phone") if "phone" in data else None,
        email=at.text(data["email"], "email") if "email" in data else None,
    )


def _items(at: _At, data: dict[str, Any], name: str, required: bool) -> list[Any]:
    items = data.get(name, [])
    if not isinstance(items, list) or (required and not items):
        at.fail(name, "must be a non-empty list" if required else "must be a list")
    return items


def _clinic(at: _At, raw: Any) -> ClinicSpec:
    fields = (
        "name",
        "urgent_phone",
        "booking_mode",
        "treatments",
        "practitioners",
        "knowledge",
        "patients",
    )
    data = at.mapping(raw, "clinic", fields)
    at = at.then("clinic")
    treatments = tuple(
        _treatment(at.then(f"treatment {n + 1}"), item)
        for n, item in enumerate(_items(at, data, "treatments", True))
    )
    names = [t.name for t in treatments]
    for name in names:
        if names.count(name) > 1:
            at.fail("treatments", f"{name!r} is listed twice")
    return ClinicSpec(
        name=at.text(data.get("name"), "name"),
        urgent_phone=str(data.get("urgent_phone", "")),
        booking_mode=at.choice(
            data.get("booking_mode", BookingMode.BOOK), "booking_mode", tuple(BookingMode.values)
        ),
        treatments=treatments,
        practitioners=tuple(
            _practitioner(at.then(f"practitioner {n + 1}"), item)
            for n, item in enumerate(_items(at, data, "practitioners", True))
        ),
        knowledge=tuple(
            _knowledge(at.then(f"knowledge {n + 1}"), item)
            for n, item in enumerate(_items(at, data, "knowledge", False))
        ),
        patients=tuple(
            _patient(at.then(f"patient {n + 1}"), item)
            for n, item in enumerate(_items(at, data, "patients", False))
        ),
    )


# --- the cases ---------------------------------------------------------------------


def _expect(at: _At, raw: Any) -> Expect:
    fields = (
        "intent",
        "mentions",
        "mentions_any",
        "not_mentions",
        "safety",
        "handoff",
        "knowledge",
    )
    data = at.mapping(raw if raw is not None else {}, "expect", fields)
    intents = at.texts(data["intent"], "expect.intent") if "intent" in data else ()
    for intent in intents:
        at.choice(intent, "expect.intent", INTENTS)
    safety: tuple[str, ...] | None = None
    if "safety" in data:
        names = at.texts(data["safety"], "expect.safety")
        if names == ("none",):
            safety = ()
        else:
            safety = tuple(
                at.choice(name, "expect.safety", (*SAFETY_CHECKS, "none")) for name in names
            )
            if "none" in safety:
                at.fail("expect.safety", "none cannot be combined with a guardrail")
    return Expect(
        intent=intents,
        mentions=at.texts(data["mentions"], "expect.mentions") if "mentions" in data else (),
        mentions_any=(
            at.texts(data["mentions_any"], "expect.mentions_any") if "mentions_any" in data else ()
        ),
        not_mentions=(
            at.texts(data["not_mentions"], "expect.not_mentions") if "not_mentions" in data else ()
        ),
        safety=safety,
        handoff=at.flag(data["handoff"], "expect.handoff") if "handoff" in data else None,
        knowledge=at.text(data["knowledge"], "expect.knowledge") if "knowledge" in data else None,
    )


def _turn(at: _At, raw: Any) -> Turn:
    data = at.mapping(raw, "turn", ("say", "expect"))
    return Turn(say=at.text(data.get("say"), "say"), expect=_expect(at, data.get("expect")))


def _slot(at: _At, raw: Any) -> SlotWindow:
    data = at.mapping(raw, "end.slot", ("weekday", "after", "before"))
    return SlotWindow(
        weekday=(
            WEEKDAYS.index(at.choice(data["weekday"], "end.slot.weekday", WEEKDAYS))
            if "weekday" in data
            else None
        ),
        after=at.clock(data["after"], "end.slot.after") if "after" in data else None,
        before=at.clock(data["before"], "end.slot.before") if "before" in data else None,
    )


def _end(at: _At, raw: Any) -> End:
    fields = (
        "booked",
        "treatment",
        "slot",
        "captured",
        "enquiry",
        "attribution",
        "handoff",
        "emergency",
    )
    data = at.mapping(raw if raw is not None else {}, "end", fields)
    captured = at.mapping(data.get("captured", {}), "end.captured", tuple(CAPTURE_FIELDS))
    for key, value in captured.items():
        if CAPTURE_FIELDS[key] is bool:
            at.flag(value, f"end.captured.{key}")
        else:
            at.text(value, f"end.captured.{key}")
    touch = at.mapping(data.get("attribution", {}), "end.attribution", TOUCH_FIELDS)
    for key, value in touch.items():
        at.text(value, f"end.attribution.{key}")

    def flag(name: str) -> bool | None:
        return at.flag(data[name], f"end.{name}") if name in data else None

    return End(
        booked=flag("booked"),
        treatment=at.text(data["treatment"], "end.treatment") if "treatment" in data else None,
        slot=_slot(at, data["slot"]) if "slot" in data else None,
        captured=dict(captured),
        enquiry=flag("enquiry"),
        attribution=dict(touch),
        handoff=flag("handoff"),
        emergency=flag("emergency"),
    )


def _attribution(at: _At, raw: Any) -> dict[str, Any]:
    data = at.mapping(raw, "attribution", ("first_touch", "last_touch"))
    for position, touch in data.items():
        if not isinstance(touch, dict):
            at.fail(f"attribution.{position}", "must be a mapping of touch fields")
    return data


def _case(file: str, number: int, raw: Any, seen: dict[str, str]) -> Case:
    at = _At(f"{file}: case #{number}")
    fields = ("id", "category", "turns", "say", "expect", "end", "attribution")
    data = at.mapping(raw, "case", fields)
    case_id = at.text(data.get("id"), "id")
    if not _ID.match(case_id):
        at.fail("id", f"{case_id!r} must be lower-case letters, digits and dashes")
    at = _At(f"{file}: case {case_id}")
    if case_id in seen:
        at.fail("id", f"used twice (also in {seen[case_id]})")
    seen[case_id] = file
    category = at.choice(data.get("category"), "category", CATEGORIES)
    if "turns" in data and ("say" in data or "expect" in data):
        at.fail("turns", "give either turns or say/expect, not both")
    if "turns" in data:
        raw_turns = data["turns"]
        if not isinstance(raw_turns, list) or not raw_turns:
            at.fail("turns", "must be a non-empty list of {say, expect}")
        turns = tuple(_turn(at.then(f"turn {n + 1}"), t) for n, t in enumerate(raw_turns))
    else:
        turns = (_turn(at, {"say": data.get("say"), "expect": data.get("expect")}),)
    end = _end(at, data.get("end"))
    if category == "booking" and end.booked is not True:
        at.fail("end.booked", "a booking case must end with `booked: true`")
    attribution = _attribution(at, data["attribution"]) if "attribution" in data else None
    return Case(
        id=case_id,
        category=category,
        turns=turns,
        end=end,
        attribution=attribution,
        source=file,
    )


# --- files -------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SuiteError(f"{path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SuiteError(f"{path.name}: not valid YAML{line}: {problem}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SuiteError(f"{path.name}: must be a mapping with `clinic` and/or `cases`")
    for key in data:
        if key not in ("clinic", "cases") and not str(key).startswith("x-"):
            raise SuiteError(
                f"{path.name}: unknown top-level field {key!r} (expected clinic, cases "
                "or x-... for shared anchors)"
            )
    return data


def load_suite(path: Path | str | None = None) -> Suite:
    """The suite at ``path``: a folder of YAML files, or one file (clinic from suite.yaml)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    if path.is_dir():
        files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise SuiteError(f"{path}: no .yaml files in this folder")
    elif path.is_file():
        files = [path]
    else:
        raise SuiteError(f"{path}: no such file or folder")
    clinic_raw: tuple[str, Any] | None = None
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for file in files:
        data = _read(file)
        if "clinic" in data:
            if clinic_raw is not None:
                raise SuiteError(
                    f"{file.name}: the clinic is described twice (also in {clinic_raw[0]})"
                )
            clinic_raw = (file.name, data["clinic"])
        raw_cases = data.get("cases", [])
        if not isinstance(raw_cases, list):
            raise SuiteError(f"{file.name}: cases must be a list")
        cases.extend(_case(file.name, n + 1, raw, seen) for n, raw in enumerate(raw_cases))
    if clinic_raw is None and path.is_file() and (path.parent / CLINIC_FILE).is_file():
        clinic_raw = (CLINIC_FILE, _read(path.parent / CLINIC_FILE).get("clinic"))
    if clinic_raw is None or clinic_raw[1] is None:
        raise SuiteError(f"{path.name}: no clinic: one file ({CLINIC_FILE}) must describe it")
    clinic = _clinic(_At(clinic_raw[0]), clinic_raw[1])
    if not cases:
        raise SuiteError(f"{path.name}: the suite has no cases")
    return Suite(clinic=clinic, cases=tuple(cases))
