"""Per-clinic logistic regression on the clinic's own won/lost leads (decision 0011)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aescrm.audit.services import audit_record
from aescrm.patients.models import Enquiry, LeadStage
from aescrm.pipeline import scoring
from aescrm.pipeline.models import ScoringModel

# Enough history to learn from, with both outcomes well represented.
MIN_CLOSED = 200
MIN_PER_OUTCOME = 20
# A model no better than this on held-out leads does not replace the rules.
MIN_AUC = 0.6


def training_set() -> tuple[list[list[float]], list[int]]:
    """Features as known when each closed lead arrived, and whether it was won (active clinic)."""
    closed = (
        Enquiry.objects.filter(stage__in=[LeadStage.WON, LeadStage.LOST])
        .exclude(patient__objects_to_profiling=True)
        .exclude(patient__restricted=True)
        .select_related("patient", "treatment")
    )
    rows = list(closed)
    facts = scoring.facts_for(rows, as_at_creation=True)
    x = [[scoring.features(facts[e.pk])[f] for f in scoring.FEATURES] for e in rows]
    y = [1 if e.stage == LeadStage.WON else 0 for e in rows]
    return x, y


def train_clinic_model(clinic_id: uuid.UUID) -> ScoringModel | None:
    """Train and store a model for the active clinic; None when there is too little history."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    x_rows, y_rows = training_set()
    n_won = sum(y_rows)
    if len(y_rows) < MIN_CLOSED or min(n_won, len(y_rows) - n_won) < MIN_PER_OUTCOME:
        return None
    x, y = np.array(x_rows, dtype=float), np.array(y_rows)
    # Factors that never vary in the history (e.g. recency, always "new" at arrival) get no weight.
    varying = [i for i in range(x.shape[1]) if np.ptp(x[:, i]) > 0]
    xv = x[:, varying]
    x_train, x_test, y_train, y_test = train_test_split(
        xv, y, test_size=0.25, stratify=y, random_state=0
    )
    holdout = LogisticRegression(max_iter=1000).fit(x_train, y_train)
    auc = float(roc_auc_score(y_test, holdout.predict_proba(x_test)[:, 1]))
    final = LogisticRegression(max_iter=1000).fit(xv, y)
    coefficients = [0.0] * len(scoring.FEATURES)
    for j, i in enumerate(varying):
        coefficients[i] = round(float(final.coef_[0][j]), 6)
    with transaction.atomic():
        ScoringModel.objects.filter(active=True).update(active=False)
        model = ScoringModel.objects.create(
            trained_at=timezone.now(),
            n=len(y_rows),
            n_won=n_won,
            auc=round(auc, 4),
            features=list(scoring.FEATURES),
            coefficients=coefficients,
            intercept=round(float(final.intercept_[0]), 6),
        )
        audit_record(
            "lead_model.train",
            object_type="scoring_model",
            object_id=model.pk,
            detail={"n": model.n, "auc": model.auc},
        )
    return model


def active_model() -> Any:
    """The active clinic's model if it learned enough and beats chance by a margin; else None."""
    model = ScoringModel.objects.filter(active=True).order_by("-trained_at").first()
    if model is None or model.n < MIN_CLOSED or model.auc < MIN_AUC:
        return None
    return model
