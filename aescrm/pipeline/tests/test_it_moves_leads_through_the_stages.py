"""Stage rules: forward moves, no jump to won, lost needs a reason, every move audited."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.problems import PermissionDenied, ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Enquiry
from aescrm.pipeline import services
from aescrm.pipeline.tests.support import make_lead, reload

pytestmark = pytest.mark.django_db


def test_a_lead_moves_forward_and_each_move_is_audited(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    caller = clinic_a.caller("receptionist")
    with clinic_scope(clinic_a.clinic.pk):
        for stage in ("contacted", "consultation_booked", "treatment_booked", "won"):
            services.lead_move(caller=caller, enquiry=lead, stage=stage)
        stored = Enquiry.objects.get(pk=lead.pk)
        moves = list(
            AuditEntry.objects.filter(action="lead.stage", object_id=str(lead.pk))
            .order_by("occurred_at", "id")
            .values_list("detail", flat=True)
        )
    assert stored.stage == "won"
    assert stored.status == "closed"  # the old status follows the stage
    assert stored.first_response_at is not None
    assert stored.stage_changed_at is not None
    assert [(m["from"], m["to"]) for m in moves] == [
        ("new", "contacted"),
        ("contacted", "consultation_booked"),
        ("consultation_booked", "treatment_booked"),
        ("treatment_booked", "won"),
    ]


@pytest.mark.parametrize("start", [[], ["contacted"], ["contacted", "consultation_booked"]])
def test_it_refuses_to_skip_to_won_before_a_treatment_is_booked(
    clinic_a: Any, start: list[str]
) -> None:
    lead = make_lead(clinic_a)
    caller = clinic_a.caller("receptionist")
    with clinic_scope(clinic_a.clinic.pk):
        for stage in start:
            services.lead_move(caller=caller, enquiry=lead, stage=stage)
        with pytest.raises(ValidationFailed) as refused:
            services.lead_move(caller=caller, enquiry=lead, stage="won")
    assert refused.value.field == "stage"
    assert "book the treatment first" in refused.value.detail
    assert reload(clinic_a, lead).stage == (start[-1] if start else "new")


def test_a_won_lead_stays_won(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    caller = clinic_a.caller("receptionist")
    with clinic_scope(clinic_a.clinic.pk):
        for stage in ("treatment_booked", "won"):
            services.lead_move(caller=caller, enquiry=lead, stage=stage)
        with pytest.raises(ValidationFailed):
            services.lead_move(caller=caller, enquiry=lead, stage="lost", lost_reason="price")


def test_lost_needs_a_reason_from_the_list_and_other_needs_words(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    caller = clinic_a.caller("receptionist")
    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(ValidationFailed) as no_reason:
            services.lead_move(caller=caller, enquiry=lead, stage="lost")
        with pytest.raises(ValidationFailed) as bad_reason:
            services.lead_move(caller=caller, enquiry=lead, stage="lost", lost_reason="meh")
        with pytest.raises(ValidationFailed) as bare_other:
            services.lead_move(caller=caller, enquiry=lead, stage="lost", lost_reason="other")
        assert Enquiry.objects.get(pk=lead.pk).stage == "new"
        services.lead_move(
            caller=caller,
            enquiry=lead,
            stage="lost",
            lost_reason="other",
            lost_note="Moving to Spain",
        )
        stored = Enquiry.objects.get(pk=lead.pk)
    assert (no_reason.value.field, bad_reason.value.field) == ("lost_reason", "lost_reason")
    assert bare_other.value.field == "lost_note"
    assert (stored.stage, stored.status, stored.lost_reason) == ("lost", "closed", "other")
    assert stored.lost_note == "Moving to Spain"


def test_a_lost_lead_reopens_as_contacted_and_forgets_the_reason(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    caller = clinic_a.caller("receptionist")
    with clinic_scope(clinic_a.clinic.pk):
        services.lead_move(caller=caller, enquiry=lead, stage="lost", lost_reason="no_response")
        services.lead_move(caller=caller, enquiry=lead, stage="contacted")
        stored = Enquiry.objects.get(pk=lead.pk)
    assert (stored.stage, stored.lost_reason, stored.lost_note) == ("contacted", "", None)


def test_the_database_refuses_a_lost_lead_without_a_reason(clinic_a: Any) -> None:
    from django.db import IntegrityError, transaction

    lead = make_lead(clinic_a)
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(IntegrityError), transaction.atomic():
        Enquiry.objects.filter(pk=lead.pk).update(stage="lost", lost_reason="")


def test_roles_without_enquiry_edit_cannot_move_leads(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(PermissionDenied):
        services.lead_move(caller=clinic_a.caller("marketer"), enquiry=lead, stage="contacted")


def test_a_logged_call_stops_the_speed_to_lead_clock_once(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    caller = clinic_a.caller("receptionist")
    with clinic_scope(clinic_a.clinic.pk):
        assert services.lead_log_contact(caller=caller, enquiry=lead) is True
        first = Enquiry.objects.get(pk=lead.pk).first_response_at
        assert services.lead_log_contact(caller=caller, enquiry=lead) is False
        services.lead_move(caller=caller, enquiry=lead, stage="contacted")
        stored = Enquiry.objects.get(pk=lead.pk)
    assert first is not None and stored.first_response_at == first
    assert stored.speed_to_lead is not None and stored.speed_to_lead >= 0
