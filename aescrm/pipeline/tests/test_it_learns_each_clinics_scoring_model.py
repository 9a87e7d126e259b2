"""A clinic with enough won and lost leads gets its own logistic regression."""

from __future__ import annotations

import random
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Enquiry, Patient, Treatment
from aescrm.pipeline import ml, selectors, tasks
from aescrm.pipeline.models import ScoringModel
from aescrm.pipeline.tests.support import make_lead

pytestmark = pytest.mark.django_db


def synthetic_history(world: Any, closed: int, *, seed: int = 7) -> None:
    """``closed`` won/lost leads where high-value, urgent leads usually win (bulk-made)."""
    rng = random.Random(seed)
    with clinic_scope(world.clinic.pk):
        cheap = world.treatment
        dear = Treatment.objects.create(
            name="Clear aligners", duration_minutes=45, price_pence=400_000
        )
        patients = Patient.objects.bulk_create(
            [
                Patient(first_name=f"P{i}", email=f"p{i}@example.com" if i % 2 else None)
                for i in range(closed)
            ]
        )
        enquiries = []
        for patient in patients:
            valuable, urgent = rng.random() < 0.5, rng.random() < 0.5
            chance = 0.15 + 0.4 * valuable + 0.35 * urgent
            won = rng.random() < chance
            enquiries.append(
                Enquiry(
                    patient=patient,
                    channel=rng.choice(["phone", "email", "web_form"]),
                    treatment=dear if valuable else cheap,
                    message="need this asap" if urgent else "just wondering",
                    stage="won" if won else "lost",
                    status="closed",
                    lost_reason="" if won else "price",
                )
            )
        Enquiry.objects.bulk_create(enquiries)


def test_too_little_history_keeps_the_rules(clinic_a: Any) -> None:
    synthetic_history(clinic_a, 150)
    with clinic_scope(clinic_a.clinic.pk):
        assert ml.train_clinic_model(clinic_a.clinic.pk) is None
        assert ml.active_model() is None


def test_it_trains_records_auc_and_then_scores_with_the_model(clinic_a: Any) -> None:
    synthetic_history(clinic_a, 240)
    open_lead = make_lead(clinic_a, message="asap", channel="phone")

    results = tasks.retrain_all()

    with clinic_scope(clinic_a.clinic.pk):
        model = ScoringModel.objects.get()
        (lead,) = selectors.open_leads(caller=clinic_a.caller("receptionist"))
        assert AuditEntry.objects.filter(action="lead_model.train").count() == 1
    assert results == {str(clinic_a.clinic.pk): model.auc}
    assert model.n == 240 and 0 < model.n_won < 240
    assert model.auc > 0.7  # the synthetic outcomes are learnable
    assert model.features == ["value", "intent", "channel", "completeness", "recency", "engagement"]
    assert all(isinstance(c, float) for c in model.coefficients)  # JSON numbers, no pickle
    weights = dict(zip(model.features, model.coefficients, strict=True))
    assert weights["value"] > 0 and weights["intent"] > 0
    assert weights["recency"] == 0.0  # never varies at arrival: no weight
    assert lead.enquiry.pk == open_lead.pk
    assert lead.method == "model"
    assert lead.score is not None and 0 <= lead.score <= 100
    assert lead.reasons[0] == "wants to be seen soon (“asap”)"
    assert lead.reasons[-1] == "learned from 240 of this clinic's closed leads"


def test_retraining_replaces_the_active_model_and_other_clinics_keep_rules(
    clinic_a: Any, clinic_b: Any
) -> None:
    synthetic_history(clinic_a, 220)
    tasks.retrain_all()
    tasks.retrain_all()
    make_lead(clinic_b, message="asap")

    with clinic_scope(clinic_a.clinic.pk):
        assert ScoringModel.objects.count() == 2
        assert ScoringModel.objects.filter(active=True).count() == 1
    with clinic_scope(clinic_b.clinic.pk):
        assert ml.active_model() is None
        (lead,) = selectors.open_leads(caller=clinic_b.caller("receptionist"))
    assert lead.method == "rules"
