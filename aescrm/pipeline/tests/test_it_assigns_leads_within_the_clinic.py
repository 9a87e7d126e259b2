"""Assignment: only staff of the same clinic; round-robin shares new leads fairly in turn."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.pipeline import services
from aescrm.pipeline.models import PipelineSettings
from aescrm.pipeline.tests.support import add_staff, make_lead, reload

pytestmark = pytest.mark.django_db


def test_it_assigns_to_a_colleague_and_audits_it(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    colleague = clinic_a.users["receptionist"]
    with clinic_scope(clinic_a.clinic.pk):
        services.lead_assign(caller=clinic_a.caller(), enquiry=lead, user_id=colleague.pk)
        entry = AuditEntry.objects.get(action="lead.assign")
    assert reload(clinic_a, lead).assigned_to_id == colleague.pk
    assert entry.detail == {"assigned_to": str(colleague.pk), "by": "staff"}


@pytest.mark.parametrize("who", ["other_clinic", "marketer", "not_a_uuid"])
def test_it_refuses_users_of_other_clinics_and_roles_that_do_not_work_leads(
    clinic_a: Any, clinic_b: Any, who: str
) -> None:
    lead = make_lead(clinic_a)
    user_id = {
        "other_clinic": clinic_b.users["receptionist"].pk,
        "marketer": clinic_a.users["marketer"].pk,
        "not_a_uuid": "nobody",
    }[who]
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        services.lead_assign(caller=clinic_a.caller(), enquiry=lead, user_id=user_id)
    assert refused.value.field == "assigned_to"
    assert reload(clinic_a, lead).assigned_to_id is None


def test_round_robin_is_off_by_default(clinic_a: Any) -> None:
    lead = make_lead(clinic_a)
    assert reload(clinic_a, lead).assigned_to_id is None


def test_round_robin_gives_each_receptionist_new_leads_in_turn(clinic_a: Any) -> None:
    first = clinic_a.users["receptionist"]
    second, third = add_staff(clinic_a, "Bea"), add_staff(clinic_a, "Cal")
    add_staff(clinic_a, "Mo", role="manager")  # managers are not in the receptionists' rota
    with clinic_scope(clinic_a.clinic.pk):
        services.settings_update(caller=clinic_a.caller(), round_robin=True)

    leads = [make_lead(clinic_a) for _ in range(7)]

    owners = [reload(clinic_a, lead).assigned_to_id for lead in leads]
    assert owners == [first.pk, second.pk, third.pk, first.pk, second.pk, third.pk, first.pk]
    assert Counter(owners) == {first.pk: 3, second.pk: 2, third.pk: 2}
    with clinic_scope(clinic_a.clinic.pk):
        assert PipelineSettings.objects.get().last_assigned_id == first.pk
        assert AuditEntry.objects.filter(action="lead.assign").count() == 7


def test_round_robin_skips_a_receptionist_who_left_and_never_crosses_clinics(
    clinic_a: Any, clinic_b: Any
) -> None:
    first = clinic_a.users["receptionist"]
    second = add_staff(clinic_a, "Bea")
    with clinic_scope(clinic_a.clinic.pk):
        services.settings_update(caller=clinic_a.caller(), round_robin=True)
    make_lead(clinic_a)
    second.is_active = False
    second.save()

    later = [make_lead(clinic_a) for _ in range(2)]
    b_lead = make_lead(clinic_b)

    assert [reload(clinic_a, lead).assigned_to_id for lead in later] == [first.pk, first.pk]
    assert reload(clinic_b, b_lead).assigned_to_id is None  # clinic B has it off
