"""Build the export of a whole clinic: every patient's data, category by category (0032).

Each subject-access category (``registry.CATEGORIES``) becomes one JSON file and
one CSV file holding the rows of every patient, each row led by its
``patient_id``; the clinic's own set-up (treatments, practitioners, opening
hours, message templates, automation rules, the assistant's knowledge) follows
in the same two formats. ``export.json`` lists what is in the zip with counts.
Secrets (provider tokens, API keys) are never exported.

Built in memory by the worker and kept encrypted, like a patient's export.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.db.models import Model
from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.assistant.models import KnowledgeItem
from aescrm.automation.models import Rule, RuleVersion
from aescrm.core.tenancy import current_clinic_id
from aescrm.patients.models import Patient, Practitioner, Treatment, WorkingHours
from aescrm.subject_access.export import FORMAT_VERSION, json_value, to_csv
from aescrm.subject_access.registry import Row, categories
from aescrm.templating.models import MessageTemplate

# The clinic's own set-up, exported whole: (file name, model, what it is).
SETUP: tuple[tuple[str, type[Model], str], ...] = (
    ("treatments", Treatment, "Treatments offered, with prices in pence"),
    ("practitioners", Practitioner, "Practitioners"),
    ("working_hours", WorkingHours, "Opening and working hours"),
    ("message_templates", MessageTemplate, "Message templates"),
    ("automation_rules", Rule, "Automation rules"),
    ("automation_rule_versions", RuleVersion, "Each saved version of every automation rule"),
    ("knowledge_base", KnowledgeItem, "The website assistant's knowledge"),
)


def model_rows(model: type[Model]) -> list[Row]:
    """Every row of the active clinic's ``model``: all its columns but the clinic's id."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname != "clinic_id"]
    rows = model._default_manager.all()
    return [{name: getattr(obj, name) for name in names} for obj in rows]


def _led_by_patient(patient: Patient, rows: list[Row]) -> list[Row]:
    return [{"patient_id": patient.pk, **row} for row in rows]


def build_clinic_files(
    *, now: dt.datetime | None = None
) -> tuple[dict[str, bytes], dict[str, int]]:
    """Every file of the active clinic's export by name, and the row count of each part."""
    now = now or timezone.now()
    clinic = Clinic.objects.get(pk=current_clinic_id())
    parts = categories(include_access_log=False)
    full: dict[str, list[Row]] = {c.name: [] for c in parts}
    flat: dict[str, list[Row]] = {c.name: [] for c in parts}
    patients = 0
    for patient in Patient.objects.order_by("created_at", "pk").iterator(chunk_size=200):
        patients += 1
        for category in parts:
            rows = category.rows(patient)
            lines = category.flat_rows(patient) if category.flat_rows else rows
            full[category.name] += _led_by_patient(patient, rows)
            flat[category.name] += _led_by_patient(patient, lines)
    about: dict[str, dict[str, Any]] = {
        c.name: {"title": c.title, "about": c.about, "count": len(full[c.name])} for c in parts
    }
    for name, model, title in SETUP:
        full[name] = flat[name] = model_rows(model)
        about[name] = {"title": title, "about": title, "count": len(full[name])}
    manifest = {
        "format_version": FORMAT_VERSION,
        "clinic": clinic.name,
        "clinic_id": str(clinic.pk),
        "generated_at": json_value(now),
        "times": "ISO 8601, UTC",
        "money": "integers in pence (GBP)",
        "patients": patients,
        "files": "one .json and one .csv per part; patients' rows lead with patient_id",
        "parts": about,
    }
    files = {"export.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode()}
    for name in about:
        # default=str: times of day (opening hours) and decimals, as their plain text.
        files[f"{name}.json"] = json.dumps(
            json_value(full[name]), ensure_ascii=False, indent=2, default=str
        ).encode()
        files[f"{name}.csv"] = to_csv(flat[name])
    counts = {"patients": patients, **{name: part["count"] for name, part in about.items()}}
    return files, counts


def build_clinic_export(*, now: dt.datetime | None = None) -> tuple[bytes, dict[str, int]]:
    """The active clinic's export as one zip (in memory), and its counts for the audit log."""
    files, counts = build_clinic_files(now=now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue(), counts
