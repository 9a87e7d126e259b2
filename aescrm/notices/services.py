"""Reading a clinic's notices (generated, with its own wording where it has some) and
changing a section's wording. Changes are audited by section name, never by text."""

from __future__ import annotations

from django.db import transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.notices.configuration import clinic_config
from aescrm.notices.content import Section, from_plain, generated
from aescrm.notices.models import Notice, NoticeOverride

MAX_TEXT = 10_000


def notice_sections(clinic: Clinic, notice: str) -> list[Section]:
    """The notice as published: each section's own wording where the clinic wrote one.

    Runs inside the clinic's scope (the caller's, or the public page's)."""
    if notice not in Notice.values:
        raise NotFound("no such notice")
    overrides = {o.section: o.text for o in NoticeOverride.objects.filter(notice=notice)}
    sections = []
    for section in generated(notice, clinic_config(clinic)):
        own = overrides.get(section.key)
        if own is not None:
            section = Section(section.key, section.title, from_plain(own), overridden=True)
        sections.append(section)
    return sections


def generated_section(clinic: Clinic, notice: str, key: str) -> Section:
    if notice not in Notice.values:
        raise NotFound("no such notice")
    for section in generated(notice, clinic_config(clinic)):
        if section.key == key:
            return section
    raise NotFound("this notice has no such section")


def notice_override_set(
    *, caller: Caller, clinic: Clinic, notice: str, section: str, text: str
) -> NoticeOverride:
    caller.require(Perm.NOTICES_EDIT)
    generated_section(clinic, notice, section)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationFailed(
            "enter the section's wording, or reset it to the generated text", field="text"
        )
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"a section has at most {MAX_TEXT} characters", field="text")
    if "\x00" in text:
        raise ValidationFailed("the text contains a NUL character", field="text")
    with transaction.atomic():
        row, created = NoticeOverride.objects.update_or_create(
            notice=notice,
            section=section,
            defaults={"text": text, "updated_by_id": caller.user_id},
        )
        audit_record(
            "notice.section_edit",
            object_type="notice",
            object_id=row.pk,
            detail={"notice": notice, "section": section, "created": created},
        )
    return row


def notice_override_reset(*, caller: Caller, clinic: Clinic, notice: str, section: str) -> bool:
    """Back to the generated wording; False if the section had none of its own."""
    caller.require(Perm.NOTICES_EDIT)
    generated_section(clinic, notice, section)
    with transaction.atomic():
        row = NoticeOverride.objects.filter(notice=notice, section=section).first()
        if row is None:
            return False
        row.delete()
        audit_record(
            "notice.section_reset",
            object_type="notice",
            object_id=row.pk,
            detail={"notice": notice, "section": section},
        )
    return True
