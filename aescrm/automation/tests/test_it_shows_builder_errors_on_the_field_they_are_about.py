"""The builder puts each problem next to the field or row it is about, and saves nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aescrm.automation.models import Rule
from aescrm.automation.tests.support import builder_form, sms_template
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def _error_of(page: str, element_id: str) -> str:
    match = re.search(rf'<p class="error" id="{element_id}">([^<]*)</p>', page)
    assert match, f"no error shown at {element_id}"
    return match.group(1)


def _post(world: ClinicWorld, data: dict[str, Any]) -> str:
    response = member_client(world, "manager").post("/automations/new", data)
    assert response.status_code == 422
    with clinic_scope(world.clinic.pk):
        assert not Rule.objects.exists()
    return response.content.decode()


def test_a_send_step_without_a_template_is_named(clinic_a: ClinicWorld) -> None:
    page = _post(
        clinic_a,
        builder_form(
            "Thank you",
            actions=[
                {"type": "wait", "wait_amount": "2", "wait_unit": "hours"},
                {"type": "send", "template": ""},
            ],
        ),
    )
    # The second row (key 1) carries the error; the summary links to it.
    assert _error_of(page, "act-1-error") == "Choose the template this step sends"
    assert 'href="#act-1-type">Step 2:' in page


def test_a_reminder_without_its_time_is_named(clinic_a: ClinicWorld) -> None:
    template = sms_template(clinic_a, "Reminder", "See you soon.")
    page = _post(
        clinic_a,
        builder_form(
            "Reminder",
            event="appointment_time",
            amount="soon",
            actions=[{"type": "send", "template": str(template.pk)}],
        ),
    )
    assert _error_of(page, "f-amount-error") == "Trigger.offset_minutes must be a whole number"


def test_a_missing_name_and_an_unknown_treatment_are_named(clinic_a: ClinicWorld) -> None:
    template = sms_template(clinic_a, "Thanks", "Thanks.")
    send = [{"type": "send", "template": str(template.pk)}]
    page = _post(clinic_a, builder_form("  ", actions=send))
    assert _error_of(page, "f-name-error") == "Give the rule a name"

    page = _post(
        clinic_a,
        builder_form(
            "Thanks",
            conditions=[{"field": "treatment", "op": "in", "value": "Unicorn facial"}],
            actions=send,
        ),
    )
    assert (
        _error_of(page, "cond-0-error") == "There is no treatment called &#x27;Unicorn facial&#x27;"
    )


def test_adding_a_row_without_javascript_keeps_what_was_typed(clinic_a: ClinicWorld) -> None:
    data = builder_form("Half built", actions=[{"type": "tag", "tag": "vip"}])
    data["op"] = "add_action"
    response = member_client(clinic_a, "owner").post("/automations/new", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Half built"' in page and 'value="vip"' in page
    assert 'id="act-1-type"' in page  # the new, empty step
    with clinic_scope(clinic_a.clinic.pk):
        assert not Rule.objects.exists()
