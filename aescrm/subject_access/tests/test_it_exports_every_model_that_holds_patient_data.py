"""Every model reachable from Patient by foreign keys is exported or explicitly excluded,
so a table added later is in the export by default (or the build fails here)."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from aescrm.subject_access.registry import CATEGORIES, NOT_PERSONAL_DATA, covered_models


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def models_about_patients() -> set[str]:
    """Patient and every model with a foreign key path to it (directly, or through
    Enquiry, Appointment, ChatSession, Message, … to any depth)."""
    reached = {"patients.Patient"}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = _label(model)
            if label in reached:
                continue
            for field in model._meta.get_fields():
                related = getattr(field, "related_model", None)
                if (
                    isinstance(field, (models.ForeignKey, models.OneToOneField))
                    and related is not None
                    and _label(related) in reached
                ):
                    reached.add(label)
                    changed = True
                    break
    return reached


def test_every_model_about_a_patient_is_exported_or_excluded_with_a_reason() -> None:
    found = models_about_patients()
    missing = found - covered_models() - set(NOT_PERSONAL_DATA)
    assert not missing, (
        f"{sorted(missing)} hold data about a patient: add them to a category in "
        "aescrm/subject_access/registry.py, or to NOT_PERSONAL_DATA with the reason"
    )


def test_the_search_finds_the_known_paths() -> None:
    """The walk reaches models two and three keys away from Patient."""
    found = models_about_patients()
    assert {
        "messaging.Message",
        "mail.EmailDetail",  # Message -> Patient
        "assistant.ChatTurn",  # ChatSession -> Patient
        "conversions.ConversionUpload",  # ConversionEvent -> Patient
        "scheduling.BookingOverride",  # Appointment -> Patient
        "pipeline.StaffTask",  # Enquiry -> Patient
        "automation.RunLog",
    } <= found


def test_the_registry_names_only_real_models_and_nothing_twice() -> None:
    labels = [label for c in CATEGORIES for label in c.models] + list(NOT_PERSONAL_DATA)
    assert len(labels) == len(set(labels))
    for label in labels:
        apps.get_model(label)
    assert len({c.name for c in CATEGORIES}) == len(CATEGORIES)
