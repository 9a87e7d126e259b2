"""The assistant's settings and knowledge: checked writes, reads, and the docs engines use.

Knowledge is the clinic's published wording (no patient data), so field names
and ids go into the audit log, never the API key. A treatment item is kept in
step with its treatment: its title is the treatment's name, and its price,
duration and category are read from the catalogue whenever the engines ask.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.assistant import wording
from aescrm.assistant.engines.base import KnowledgeDoc
from aescrm.assistant.models import (
    AssistantSettings,
    BookingMode,
    EngineChoice,
    KnowledgeItem,
    KnowledgeKind,
)
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.patients.models import Treatment, WorkingHours
from aescrm.patients.normalise import clean_phone
from aescrm.scheduling.models import ScheduleSettings

TITLE_MAX, ANSWER_MAX, KEYWORDS_MAX = 200, 2000, 500
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
HOURS_DOC_ID = "generated-hours"


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------


@dataclass
class SettingsInput:
    enabled: bool = True
    engine: str = EngineChoice.EMBEDDED
    booking_mode: str = BookingMode.BOOK
    assistant_name: str = "Assistant"
    colour: str = "#0f5c6e"
    greeting: str = ""
    privacy_notice_url: str = ""
    urgent_phone: str = ""
    llm_base_url: str = ""
    llm_model: str = ""
    # Write-only: blank keeps the stored key; ``clear_llm_api_key`` removes it.
    llm_api_key: str = ""
    clear_llm_api_key: bool = False


def settings_get(*, caller: Caller) -> AssistantSettings:
    """The clinic's assistant settings, created with the defaults the first time."""
    caller.require(Perm.ASSISTANT_VIEW)
    found = AssistantSettings.objects.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return AssistantSettings.objects.create()
    except IntegrityError:  # created by a concurrent request
        return AssistantSettings.objects.get()


def _text(value: str, field: str, limit: int, *, required: str = "") -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationFailed("remove the invisible null character", field=field)
    if required and not value:
        raise ValidationFailed(required, field=field)
    if len(value) > limit:
        raise ValidationFailed(f"use at most {limit} characters", field=field)
    return value


def _url(value: str, field: str, limit: int, *, https_only: bool) -> str:
    value = _text(value, field, limit)
    if not value:
        return ""
    parts = urlsplit(value)
    local = parts.scheme == "http" and (parts.hostname or "") in _LOCAL_HOSTS
    if https_only and not (parts.scheme == "https" or local):
        raise ValidationFailed("enter an address starting with https://", field=field)
    if parts.scheme not in ("http", "https"):
        raise ValidationFailed("enter an address starting with https:// or http://", field=field)
    if not parts.hostname or any(c.isspace() for c in value):
        raise ValidationFailed("enter a whole web address, like https://example.com", field=field)
    return value


def _clean_settings(data: SettingsInput) -> dict[str, Any]:
    if data.engine not in EngineChoice.values:
        raise ValidationFailed("choose the built-in assistant or a language model", field="engine")
    if data.booking_mode not in BookingMode.values:
        raise ValidationFailed("choose how bookings are made", field="booking_mode")
    colour = _text(data.colour, "colour", 7, required="choose a colour like #0f5c6e")
    if not _COLOUR.fullmatch(colour):
        raise ValidationFailed("enter a colour like #0f5c6e", field="colour")
    phone = _text(data.urgent_phone, "urgent_phone", 40)
    if phone:
        try:
            phone = clean_phone(phone)
        except ValueError as exc:
            raise ValidationFailed(
                "enter a phone number like 020 7946 0018", field="urgent_phone"
            ) from exc
    return {
        "enabled": bool(data.enabled),
        "engine": data.engine,
        "booking_mode": data.booking_mode,
        "assistant_name": _text(
            data.assistant_name, "assistant_name", 60, required="give the assistant a name"
        ),
        "colour": colour.lower(),
        "greeting": _text(data.greeting, "greeting", 300),
        "privacy_notice_url": _url(
            data.privacy_notice_url, "privacy_notice_url", 500, https_only=True
        ),
        "urgent_phone": phone,
        "llm_base_url": _url(data.llm_base_url, "llm_base_url", 300, https_only=False),
        "llm_model": _text(data.llm_model, "llm_model", 100),
    }


def settings_update(*, caller: Caller, data: SettingsInput) -> list[str]:
    """Save the settings; the names of the fields that changed (the API key by name only)."""
    caller.require(Perm.ASSISTANT_MANAGE)
    row = settings_get(caller=caller)
    values = _clean_settings(data)
    key = _text(data.llm_api_key, "llm_api_key", 500)
    if data.clear_llm_api_key:
        values["llm_api_key"] = ""
    elif key:
        values["llm_api_key"] = key
    current = {name: getattr(row, name) for name in values}
    current["llm_api_key"] = row.llm_api_key or ""  # an empty key is stored as NULL
    changed = [name for name, value in values.items() if current[name] != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=[*changed, "updated_at"])
        audit_record(
            "assistant.settings.update",
            object_type="assistant_settings",
            object_id=row.pk,
            detail={"fields": changed},
        )
    return changed


# ---------------------------------------------------------------------------
# Knowledge items
# ---------------------------------------------------------------------------


@dataclass
class KnowledgeInput:
    kind: str
    title: str
    answer: str
    keywords: str = ""
    active: bool = True


# Staff write these; treatment items come from the catalogue.
WRITABLE_KINDS = [k for k in KnowledgeKind.values if k != KnowledgeKind.TREATMENT]


def knowledge_list(*, caller: Caller, kind: str | None = None) -> list[KnowledgeItem]:
    caller.require(Perm.ASSISTANT_VIEW)
    items = KnowledgeItem.objects.select_related("treatment")
    if kind:
        items = items.filter(kind=kind)
    return list(items.order_by("kind", "title"))


def knowledge_get(*, caller: Caller, item_id: Any) -> KnowledgeItem:
    caller.require(Perm.ASSISTANT_VIEW)
    try:
        pk = uuid.UUID(str(item_id))
    except ValueError as exc:
        raise NotFound("no such knowledge item") from exc
    item = KnowledgeItem.objects.select_related("treatment").filter(pk=pk).first()
    if item is None:
        raise NotFound("no such knowledge item")
    return item


def _clean_item(data: KnowledgeInput, *, treatment: Treatment | None) -> KnowledgeInput:
    if treatment is not None:
        kind, title = KnowledgeKind.TREATMENT.value, treatment.name
    else:
        kind = data.kind
        if kind not in WRITABLE_KINDS:
            raise ValidationFailed(
                "choose a kind; treatments come from the catalogue (Import from catalogue)",
                field="kind",
            )
        title = _text(data.title, "title", TITLE_MAX, required="enter the question or a title")
    return KnowledgeInput(
        kind=kind,
        title=title,
        answer=_text(data.answer, "answer", ANSWER_MAX, required="enter the answer"),
        keywords=_text(data.keywords, "keywords", KEYWORDS_MAX),
        active=bool(data.active),
    )


def knowledge_create(*, caller: Caller, data: KnowledgeInput) -> KnowledgeItem:
    caller.require(Perm.ASSISTANT_MANAGE)
    clean = _clean_item(data, treatment=None)
    item = KnowledgeItem.objects.create(**{f.name: getattr(clean, f.name) for f in fields(clean)})
    audit_record(
        "assistant.knowledge.create",
        object_type="knowledge_item",
        object_id=item.pk,
        detail={"kind": item.kind},
    )
    return item


def knowledge_update(*, caller: Caller, item: KnowledgeItem, data: KnowledgeInput) -> list[str]:
    """Save the item; the names of the fields that changed.

    A treatment item keeps its kind and takes its title from the treatment.
    """
    caller.require(Perm.ASSISTANT_MANAGE)
    clean = _clean_item(data, treatment=item.treatment)
    changed = [f.name for f in fields(clean) if getattr(item, f.name) != getattr(clean, f.name)]
    if changed:
        for name in changed:
            setattr(item, name, getattr(clean, name))
        item.save(update_fields=[*changed, "updated_at"])
        audit_record(
            "assistant.knowledge.update",
            object_type="knowledge_item",
            object_id=item.pk,
            detail={"fields": changed},
        )
    return changed


def knowledge_delete(*, caller: Caller, item: KnowledgeItem) -> None:
    caller.require(Perm.ASSISTANT_MANAGE)
    pk: uuid.UUID = item.pk
    kind = item.kind
    item.delete()
    audit_record(
        "assistant.knowledge.delete",
        object_type="knowledge_item",
        object_id=pk,
        detail={"kind": kind},
    )


@transaction.atomic
def knowledge_import_catalogue(*, caller: Caller) -> tuple[int, int]:
    """One treatment item per active treatment; (added, updated).

    Running it again changes only what the catalogue changed: titles and
    answers follow the treatments, staff keywords and switches stay, and an
    item whose treatment was withdrawn is switched off.
    """
    caller.require(Perm.ASSISTANT_MANAGE)
    existing = {
        item.treatment_id: item
        for item in KnowledgeItem.objects.filter(treatment__isnull=False).select_for_update()
    }
    added = updated = 0
    for treatment in Treatment.objects.order_by("name"):
        item = existing.get(treatment.pk)
        if item is None:
            if treatment.active:
                KnowledgeItem.objects.create(
                    kind=KnowledgeKind.TREATMENT,
                    treatment=treatment,
                    title=treatment.name,
                    answer=wording.treatment_answer(treatment),
                )
                added += 1
            continue
        values: dict[str, Any] = {
            "kind": KnowledgeKind.TREATMENT.value,
            "title": treatment.name,
            "answer": wording.treatment_answer(treatment),
        }
        if not treatment.active:
            values["active"] = False
        changed = [name for name, value in values.items() if getattr(item, name) != value]
        if changed:
            for name in changed:
                setattr(item, name, values[name])
            item.save(update_fields=[*changed, "updated_at"])
            updated += 1
    audit_record(
        "assistant.knowledge.import",
        object_type="knowledge_item",
        detail={"added": added, "updated": updated},
    )
    return added, updated


# ---------------------------------------------------------------------------
# What the engines are given
# ---------------------------------------------------------------------------


def _treatment_doc(item: KnowledgeItem, treatment: Treatment) -> KnowledgeDoc:
    return KnowledgeDoc(
        id=str(item.pk),
        kind=KnowledgeKind.TREATMENT.value,
        title=treatment.name,
        answer=wording.with_current_facts(item.answer, treatment),
        keywords=item.keywords,
        treatment_id=str(treatment.pk),
        category=treatment.category,
        price_pence=treatment.price_pence,
        duration_minutes=treatment.duration_minutes,
        prescription_medicine=treatment.prescription_medicine,
    )


def _catalogue_doc(treatment: Treatment) -> KnowledgeDoc:
    return KnowledgeDoc(
        id=f"treatment:{treatment.pk}",
        kind=KnowledgeKind.TREATMENT.value,
        title=treatment.name,
        answer=wording.treatment_answer(treatment),
        treatment_id=str(treatment.pk),
        category=treatment.category,
        price_pence=treatment.price_pence,
        duration_minutes=treatment.duration_minutes,
        prescription_medicine=treatment.prescription_medicine,
    )


def hours_doc() -> KnowledgeDoc | None:
    """Opening hours from the practitioners' working hours; None when nobody has any."""
    spans = WorkingHours.objects.filter(practitioner__active=True).values_list(
        "weekday", "starts", "ends"
    )
    text = wording.opening_hours(spans)
    if not text:
        return None
    schedule = ScheduleSettings.objects.first()
    if schedule is None or schedule.closed_on_bank_holidays:
        text += " We are closed on bank holidays."
    return KnowledgeDoc(
        id=HOURS_DOC_ID,
        kind=KnowledgeKind.HOURS.value,
        title="Opening hours",
        answer=text,
        keywords="open, opening times, hours, closing time, when are you open, weekend",
    )


# Built documents per clinic, reused while nothing they are made from has changed: a
# 500-item knowledge base takes most of a turn to read through the ORM and word again.
_DOCS_CACHE: OrderedDict[Any, tuple[str, list[KnowledgeDoc]]] = OrderedDict()
_DOCS_CACHE_CLINICS = 64
_DOCS_LOCK = threading.Lock()


def _docs_version() -> str:
    """A fingerprint of everything the documents are built from (cheap: no item bodies)."""
    items = KnowledgeItem.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    treatments = list(
        Treatment.objects.values_list(
            "id", "name", "category", "price_pence", "duration_minutes",
            "prescription_medicine", "active",
        ).order_by("id")
    )  # fmt: skip
    hours = list(
        WorkingHours.objects.filter(practitioner__active=True)
        .values_list("weekday", "starts", "ends")
        .order_by("weekday", "starts", "ends")
    )
    closed = list(ScheduleSettings.objects.values_list("closed_on_bank_holidays", flat=True))
    raw = repr((items["n"], items["at"], treatments, hours, closed))
    return hashlib.sha256(raw.encode()).hexdigest()


def docs_for_clinic() -> list[KnowledgeDoc]:
    """The clinic's documents, rebuilt only when an item, treatment or opening hour changed."""
    clinic_id = current_clinic_id()
    version = _docs_version()
    with _DOCS_LOCK:
        cached = _DOCS_CACHE.get(clinic_id)
        if cached is not None and cached[0] == version:
            _DOCS_CACHE.move_to_end(clinic_id)
            return list(cached[1])
    docs = build_docs()
    with _DOCS_LOCK:
        _DOCS_CACHE[clinic_id] = (version, docs)
        _DOCS_CACHE.move_to_end(clinic_id)
        while len(_DOCS_CACHE) > _DOCS_CACHE_CLINICS:
            _DOCS_CACHE.popitem(last=False)
    return list(docs)


def build_docs() -> list[KnowledgeDoc]:
    """Everything the assistant may draw on, for the clinic in scope (no caller: the engines').

    Active items, in a stable order. A treatment item whose treatment was
    withdrawn is left out even before the next import; an active treatment
    nobody imported yet is still known, worded from the catalogue, while one
    whose item staff switched off stays out.
    """
    treatments = {t.pk: t for t in Treatment.objects.filter(active=True)}
    docs: list[KnowledgeDoc] = []
    covered = set()
    for item in KnowledgeItem.objects.order_by("kind", "title", "id"):
        if item.treatment_id is not None:
            covered.add(item.treatment_id)
            treatment = treatments.get(item.treatment_id)
            if item.active and treatment is not None:
                docs.append(_treatment_doc(item, treatment))
        elif item.active:
            docs.append(
                KnowledgeDoc(
                    id=str(item.pk),
                    kind=item.kind,
                    title=item.title,
                    answer=item.answer,
                    keywords=item.keywords,
                )
            )
    for treatment in sorted(treatments.values(), key=lambda t: t.name):
        if treatment.pk not in covered:
            docs.append(_catalogue_doc(treatment))
    if not any(doc.kind == KnowledgeKind.HOURS for doc in docs):
        generated = hours_doc()
        if generated is not None:
            docs.append(generated)
    return docs
