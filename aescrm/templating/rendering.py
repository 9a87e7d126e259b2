"""Merge fields: a small explicit ``{{ name }}`` substitution, nothing more.

No template language runs: a template can only name the fields listed here,
each a plain string computed from the patient, appointment, clinic or the
caller's links, so no model attribute beyond them is reachable. Values are
HTML-escaped in the HTML body. Unknown fields are refused when a template is
saved; a field that needs an appointment, rendered without one, is refused
when the message is rendered.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.core.problems import ValidationFailed
from aescrm.messaging.segments import Segments, sms_segments
from aescrm.patients.models import Appointment, Patient
from aescrm.templating import pom
from aescrm.templating.models import MessageTemplate, TemplateChannel, TemplateKind

PATIENT_FIELDS = frozenset({"first_name", "clinic_name"})
APPOINTMENT_FIELDS = frozenset({"appointment_time", "treatment", "practitioner"})
LINK_FIELDS = frozenset({"booking_link", "unsubscribe_link", "review_link"})
# The clinic's privacy notice: its own page if it named one, else the generated notice.
CLINIC_FIELDS = frozenset({"privacy_notice_url"})
FIELDS = PATIENT_FIELDS | APPOINTMENT_FIELDS | LINK_FIELDS | CLINIC_FIELDS

_FIELD = re.compile(r"\{\{\s*([A-Za-z0-9_.]*)\s*\}\}")
_TAG = re.compile(r"\{[{%#]|[}%#]\}")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    segments: Segments | None  # SMS only


def fields_in(source: str, *, field: str) -> set[str]:
    """The merge fields ``source`` uses; an unknown field or stray tag is refused."""
    names = set()
    for match in _FIELD.finditer(source):
        name = match.group(1)
        if name not in FIELDS:
            raise ValidationFailed(
                f"unknown merge field {{{{ {name} }}}}; use one of "
                + ", ".join(f"{{{{ {f} }}}}" for f in sorted(FIELDS)),
                field=field,
            )
        names.add(name)
    leftover = _TAG.search(_FIELD.sub("", source))
    if leftover:
        raise ValidationFailed(
            f"'{leftover.group(0)}' is not a merge field; write fields as {{{{ first_name }}}}",
            field=field,
        )
    return names


def british_time(moment: object, clinic: Clinic) -> str:
    """ "Tuesday 3 March at 10:30" in the clinic's time zone."""
    local = timezone.localtime(moment, clinic.tz)  # type: ignore[arg-type]
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def _values(
    fields: set[str],
    *,
    clinic: Clinic,
    patient: Patient,
    appointment: Appointment | None,
    links: Mapping[str, str],
) -> dict[str, str]:
    if fields & APPOINTMENT_FIELDS and appointment is None:
        needed = ", ".join(f"{{{{ {f} }}}}" for f in sorted(fields & APPOINTMENT_FIELDS))
        raise ValidationFailed(
            f"this template uses {needed}: choose an appointment", field="appointment"
        )
    if appointment is not None and appointment.patient_id != patient.pk:
        raise ValidationFailed("that appointment is not this patient's", field="appointment")
    values = {"first_name": patient.first_name or "", "clinic_name": clinic.name}
    if "privacy_notice_url" in fields:
        from aescrm.notices.configuration import clinic_privacy_notice_url

        values["privacy_notice_url"] = clinic_privacy_notice_url(clinic)
    if appointment is not None:
        values["appointment_time"] = british_time(appointment.starts_at, clinic)
        values["treatment"] = appointment.treatment.name
        values["practitioner"] = appointment.practitioner.display_name
    for name in fields & LINK_FIELDS:
        link = links.get(name, "")
        if not link:
            raise ValidationFailed(f"no link given for {{{{ {name} }}}}", field=name)
        if not re.match(r"https?://[^\s<>\"']+$", link):
            raise ValidationFailed("a link must be an http(s) address", field=name)
        values[name] = link
    return values


def _substitute(source: str, values: Mapping[str, str], *, escape: bool) -> str:
    def one(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        return html.escape(value, quote=True) if escape else value

    return _FIELD.sub(one, source)


def render(
    template: MessageTemplate,
    *,
    clinic: Clinic,
    patient: Patient,
    appointment: Appointment | None = None,
    links: Mapping[str, str] | None = None,
) -> Rendered:
    used = (
        fields_in(template.subject, field="subject")
        | fields_in(template.body_text, field="body_text")
        | fields_in(template.body_html, field="body_html")
    )
    values = _values(
        used, clinic=clinic, patient=patient, appointment=appointment, links=links or {}
    )
    is_email = template.channel == TemplateChannel.EMAIL
    subject = _substitute(template.subject, values, escape=False) if is_email else ""
    text = _substitute(template.body_text, values, escape=False)
    body_html = _substitute(template.body_html, values, escape=True) if is_email else ""
    if template.kind == TemplateKind.MARKETING:
        # A merge field (a treatment's name) may bring a medicine's name in.
        named = pom.named_medicines(" ".join((subject, text, body_html)))
        if "treatment" in used and appointment and appointment.treatment.prescription_medicine:
            named.append(appointment.treatment.name)
        if named:
            raise pom.explain(named, field="template")
    segments = None if is_email else sms_segments(text)
    return Rendered(subject=subject, text=text, html=body_html, segments=segments)
