"""Periodic pipeline work run by the Huey worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.accounts.models import Clinic
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.patients.models import Enquiry, LeadStage
from aescrm.pipeline import ml, services


@db_periodic_task(crontab(minute="*"))
def alert_uncontacted_leads() -> int:
    """Every minute: an alert for each new lead left uncontacted past its clinic's limit."""
    return services.raise_overdue_alerts()


def retrain_all() -> dict[str, float | None]:
    """Retrain every clinic with closed leads; the AUC of each, or None for too little history."""
    with unscoped("pipeline: find clinics with closed leads to learn from"):
        clinic_ids = set(
            Enquiry.objects.filter(stage__in=[LeadStage.WON, LeadStage.LOST]).values_list(
                "clinic_id", flat=True
            )
        )
    results: dict[str, float | None] = {}
    for clinic in Clinic.objects.filter(pk__in=clinic_ids).order_by("pk"):
        with clinic_scope(clinic.pk):
            model = ml.train_clinic_model(clinic.pk)
        results[str(clinic.pk)] = model.auc if model else None
    return results


@db_periodic_task(crontab(hour="2", minute="15"))
def retrain_lead_scoring() -> dict[str, float | None]:
    """Nightly, when clinics are closed: retrain each clinic's lead-scoring model."""
    return retrain_all()
