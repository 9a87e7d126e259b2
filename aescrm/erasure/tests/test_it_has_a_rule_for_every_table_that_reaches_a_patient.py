"""Every installed model with a foreign-key path to a patient has an erasure rule, so a new
table cannot outlive an erasure unnoticed; no PROTECT on that path can stop one."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from aescrm.erasure.rules import all_rules, rule_models


def _reaching_patient() -> set[str]:
    """Labels of models linked to Patient through any chain of foreign keys (and Patient)."""
    reached = {"patients.Patient"}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label
            if label in reached:
                continue
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.ForeignKey | models.OneToOneField)
                    and field.related_model._meta.label in reached  # type: ignore[union-attr]
                ):
                    reached.add(label)
                    changed = True
                    break
    return reached


def test_every_model_that_reaches_a_patient_has_a_rule() -> None:
    missing = _reaching_patient() - rule_models()
    assert not missing, f"no erasure rule in aescrm/erasure/rules.py for {sorted(missing)}"


def test_the_walk_finds_tables_on_every_channel() -> None:
    reached = _reaching_patient()
    for label in (
        "messaging.Message",
        "messaging.Call",
        "mail.EmailDetail",
        "assistant.ChatTurn",
        "attribution.Touch",
        "conversions.ConversionUpload",
        "automation.RunLog",
        "inbox.BulkRecipient",
        "scheduling.BookingOverride",
    ):
        assert label in reached


def test_no_protect_on_the_way_to_a_patient_row() -> None:
    reached = _reaching_patient()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and model._meta.label in reached:
                target = field.related_model._meta.label  # type: ignore[union-attr]
                if target in reached:
                    assert field.remote_field.on_delete is not models.PROTECT, (
                        f"{model._meta.label}.{field.name} protects {target}: erasure would fail"
                    )


def test_rules_name_real_models_once() -> None:
    labels = [rule.model for rule in all_rules()]
    assert len(labels) == len(set(labels))
    for label in labels:
        apps.get_model(label)
