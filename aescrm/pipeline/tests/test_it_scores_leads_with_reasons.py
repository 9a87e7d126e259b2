"""Rule-based scores 0–100 with the reasons behind them; objection means no score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment
from aescrm.pipeline import scoring, selectors
from aescrm.pipeline.tests.support import make_lead

pytestmark = pytest.mark.django_db


def implant(world: Any) -> Treatment:
    with clinic_scope(world.clinic.pk):
        return Treatment.objects.create(
            name="Dental implant (single)", duration_minutes=45, price_pence=250_000
        )


def test_a_high_value_urgent_complete_lead_scores_high_and_says_why(clinic_a: Any) -> None:
    hot = make_lead(
        clinic_a,
        message="Can I come in ASAP about an implant?",
        channel="phone",
        treatment=implant(clinic_a),
        phone="07700 900111",
        email="hot@example.com",
    )
    cold = make_lead(
        clinic_a,
        message="Just browsing",
        channel="email",
        created_at=timezone.now() - dt.timedelta(days=30),
    )
    with clinic_scope(clinic_a.clinic.pk):
        leads = selectors.open_leads(caller=clinic_a.caller("receptionist"))

    assert [lead.enquiry.pk for lead in leads] == [hot.pk, cold.pk]  # sorted by score
    top, bottom = leads
    assert top.score is not None and bottom.score is not None
    assert 0 <= bottom.score < 40 < 75 <= top.score <= 100
    assert top.method == "rules"
    assert top.reasons[0] == "treatment value: Dental implant (single) (£2,500)"
    assert "wants to be seen soon (“asap”)" in top.reasons


def test_the_factors_are_explainable_numbers_between_zero_and_one() -> None:
    facts = scoring.LeadFacts(
        price_pence=7500,
        treatment_name="Hygienist appointment",
        message="Could I book for next week?",
        channel="chat",
        has_name=True,
        has_email=True,
        age_days=7,
        earlier_enquiries=1,
        touches=1,
    )
    x = scoring.features(facts)

    assert set(x) == set(scoring.FEATURES)
    assert all(0 <= v <= 1 for v in x.values())
    assert x["intent"] == 0.5 and x["recency"] == 0.5 and x["engagement"] == 0.5
    assert x["completeness"] == pytest.approx(2 / 3, abs=1e-3)
    result = scoring.rule_score(facts)
    assert result.score == round(sum(scoring.RULE_WEIGHTS[k] * x[k] for k in x))
    assert len(result.reasons) == 3


def test_a_patient_who_objected_to_profiling_is_not_scored(clinic_a: Any) -> None:
    lead = make_lead(clinic_a, message="asap please", treatment=implant(clinic_a))
    with clinic_scope(clinic_a.clinic.pk):
        lead.patient.objects_to_profiling = True
        lead.patient.save(update_fields=["objects_to_profiling"])
        make_lead(clinic_a, message="hello")
        leads = selectors.open_leads(caller=clinic_a.caller("receptionist"))

    objected = next(item for item in leads if item.enquiry.pk == lead.pk)
    assert objected.score is None
    assert objected.reasons == ["patient objected to profiling"]
    assert leads[-1] is objected  # unscored leads sort last
