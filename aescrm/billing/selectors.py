"""Reading a clinic's billing: its subscription, plans on offer and invoices (always by clinic)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aescrm.billing.models import Invoice, Subscription
from aescrm.billing.plans import Plan, catalogue
from aescrm.billing.state import AccountState, state_of
from aescrm.core.problems import NotFound


@dataclass(frozen=True)
class Overview:
    subscription: Subscription | None
    plan: Plan | None
    state: AccountState
    plans: list[Plan]
    invoices: list[Invoice]


def overview(clinic_id: uuid.UUID) -> Overview:
    subscription = Subscription.objects.filter(clinic_id=clinic_id).first()
    plans = catalogue()
    plan = plans.plans.get(subscription.plan) if subscription else None
    return Overview(
        subscription=subscription,
        plan=plan,
        state=state_of(subscription),
        plans=list(plans.plans.values()),
        invoices=list(Invoice.objects.filter(clinic_id=clinic_id)[:50]),
    )


def invoice_in_clinic(clinic_id: uuid.UUID, invoice_id: uuid.UUID) -> Invoice:
    """One of the clinic's invoices; another clinic's is simply not found."""
    invoice = Invoice.objects.filter(clinic_id=clinic_id, pk=invoice_id).first()
    if invoice is None:
        raise NotFound("no such invoice")
    return invoice
