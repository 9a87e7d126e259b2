"""Writes of message templates: checked, then audited (names of fields, never bodies)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, fields

from django.db import IntegrityError, transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.patients.models import Treatment
from aescrm.templating import pom
from aescrm.templating.models import MessageTemplate, TemplateChannel, TemplateKind
from aescrm.templating.rendering import fields_in

# HTML an email body may not carry: scripts, frames, event handlers, script URLs.
_UNSAFE_HTML = re.compile(
    r"<\s*(script|iframe|object|embed|form|style)\b|\son[a-z]+\s*=|javascript:", re.IGNORECASE
)


@dataclass
class TemplateInput:
    name: str
    channel: str
    kind: str
    body_text: str
    subject: str = ""
    body_html: str = ""
    active: bool = True


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean(data: TemplateInput) -> TemplateInput:
    data.name = data.name.strip()
    data.subject = data.subject.strip()
    # Browsers send CRLF; an SMS pays for every character, so newlines are just LF.
    data.body_text = normalise_newlines(data.body_text).strip()
    data.body_html = normalise_newlines(data.body_html).strip()
    if not data.name:
        raise ValidationFailed("enter a name", field="name")
    if len(data.name) > 120:
        raise ValidationFailed("a name has at most 120 characters", field="name")
    if data.channel not in TemplateChannel.values:
        raise ValidationFailed("choose SMS or email", field="channel")
    if data.kind not in TemplateKind.values:
        raise ValidationFailed("choose service or marketing", field="kind")
    if not data.body_text:
        raise ValidationFailed("enter the message text", field="body_text")
    if data.channel == TemplateChannel.SMS:
        if data.subject or data.body_html:
            raise ValidationFailed(
                "an SMS has no subject or HTML body",
                field="subject" if data.subject else "body_html",
            )
    else:
        if not data.subject:
            raise ValidationFailed("an email needs a subject", field="subject")
        if len(data.subject) > 200:
            raise ValidationFailed("a subject has at most 200 characters", field="subject")
        unsafe = _UNSAFE_HTML.search(data.body_html)
        if unsafe:
            raise ValidationFailed(
                f"the HTML body may not contain '{unsafe.group(0).strip()}'", field="body_html"
            )
    used = set()
    for name in ("subject", "body_text", "body_html"):
        used |= fields_in(getattr(data, name), field=name)
    if data.kind == TemplateKind.MARKETING:
        _check_marketing(data, used)
    return data


def wording_check(data: TemplateInput) -> TemplateInput:
    """The checks a template gets when saved, for wording sent without saving it (bulk sends)."""
    return _clean(data)


def _check_marketing(data: TemplateInput, used: set[str]) -> None:
    catalogue = list(
        Treatment.objects.filter(prescription_medicine=True).values_list("name", flat=True)
    )
    for name in ("subject", "body_text", "body_html"):
        named = pom.named_medicines(getattr(data, name), catalogue)
        if named:
            raise pom.explain(named, field=name)
    # PECR: every marketing message offers a way out.
    if data.channel == TemplateChannel.SMS and not re.search(r"\bSTOP\b", data.body_text):
        raise ValidationFailed(
            "a marketing SMS must tell the patient how to opt out, e.g. 'Reply STOP to opt out'",
            field="body_text",
        )
    if data.channel == TemplateChannel.EMAIL and "unsubscribe_link" not in used:
        raise ValidationFailed(
            "a marketing email must carry {{ unsubscribe_link }}", field="body_text"
        )


def _save(template: MessageTemplate) -> None:
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as exc:
        raise Conflict(
            f"this clinic already has a {template.get_channel_display()} template with this name",
            field="name",
        ) from exc


def template_create(*, caller: Caller, data: TemplateInput) -> MessageTemplate:
    caller.require(Perm.MESSAGE_TEMPLATE_EDIT)
    data = _clean(data)
    template = MessageTemplate(**{f.name: getattr(data, f.name) for f in fields(data)})
    _save(template)
    audit_record(
        "message_template.create",
        object_type="message_template",
        object_id=template.pk,
        detail={"channel": template.channel, "kind": template.kind},
    )
    return template


def template_update(
    *, caller: Caller, template: MessageTemplate, data: TemplateInput
) -> MessageTemplate:
    caller.require(Perm.MESSAGE_TEMPLATE_EDIT)
    data = _clean(data)
    changed = [f.name for f in fields(data) if getattr(template, f.name) != getattr(data, f.name)]
    for name in changed:
        setattr(template, name, getattr(data, name))
    if changed:
        _save(template)
        audit_record(
            "message_template.update",
            object_type="message_template",
            object_id=template.pk,
            detail={"fields": changed},
        )
    return template


def template_delete(*, caller: Caller, template: MessageTemplate) -> None:
    caller.require(Perm.MESSAGE_TEMPLATE_EDIT)
    pk: uuid.UUID = template.pk
    template.delete()
    audit_record("message_template.delete", object_type="message_template", object_id=pk)
