"""Marketing may not name a prescription-only medicine (Human Medicines Regulations 2012,
CAP Code 12.12); service messages about a patient's own treatment may."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment
from aescrm.templating.models import MessageTemplate
from aescrm.templating.pom import named_medicines
from aescrm.templating.tests.support import make_template

pytestmark = pytest.mark.django_db

STOP = " Reply STOP to opt out"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Spring offer on Botox!", ["Botox"]),
        ("spring offer on BOTOX", ["Botox"]),
        ("Try B0tox today", ["Botox"]),
        ("Try bo-tox today", ["Botox"]),
        ("Try B.O.T.O.X today", ["Botox"]),
        ("botulinum toxin from £150", ["botulinum toxin", "botulinum"]),
        ("Azzalure, Bocouture, Dysport or Xeomin", ["Azzalure", "Bocouture", "Dysport", "Xeomin"]),
        ("Book an anti-wrinkle consultation", []),
        ("Robotoxic robots", []),
    ],
)
def test_it_finds_medicine_names_as_whole_words(text: str, named: list[str]) -> None:
    assert named_medicines(text) == named


@pytest.mark.parametrize("field", ["body_text", "subject", "body_html"])
def test_a_marketing_template_naming_a_medicine_is_refused_with_the_rule(
    clinic_a: Any, field: str
) -> None:
    fields = {
        "channel": "email",
        "subject": "Spring news",
        "body_text": "News {{ unsubscribe_link }}",
        "body_html": "<p>News</p>",
    }
    fields[field] = fields[field] + " 20% off B0tox"
    with pytest.raises(ValidationFailed) as refused:
        make_template(clinic_a, name="Spring", kind="marketing", **fields)

    error = refused.value
    assert error.field == field
    assert "Human Medicines Regulations 2012" in error.detail
    assert "ASA" in error.detail and "MHRA" in error.detail
    assert "anti-wrinkle consultation" in error.detail
    assert error.extra["medicines"] == ["Botox"]
    with clinic_scope(clinic_a.clinic.pk):
        assert not MessageTemplate.objects.exists()


def test_a_treatment_flagged_prescription_medicine_in_the_catalogue_is_refused(
    clinic_a: Any,
) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        Treatment.objects.create(
            name="Wrinkle Relaxer (consultation first)",
            duration_minutes=30,
            price_pence=20000,
            prescription_medicine=True,
        )
    with pytest.raises(ValidationFailed) as refused:
        make_template(clinic_a, kind="marketing", body_text="Half-price wrinkle relaxer!" + STOP)
    assert refused.value.extra["medicines"] == ["Wrinkle Relaxer"]


def test_compliant_marketing_wording_is_saved(clinic_a: Any) -> None:
    template = make_template(
        clinic_a,
        name="Spring",
        kind="marketing",
        body_text="Hi {{ first_name }}, book an anti-wrinkle consultation: {{ booking_link }}"
        + STOP,
    )
    assert template.pk


def test_a_service_message_about_the_patients_own_treatment_may_name_it(clinic_a: Any) -> None:
    template = make_template(
        clinic_a, body_text="Aftercare for your Botox: avoid lying down for four hours."
    )
    assert template.kind == "service"


def test_editing_a_service_template_into_marketing_is_checked_again(clinic_a: Any) -> None:
    from aescrm.templating.services import TemplateInput, template_update

    template = make_template(clinic_a, body_text="Your Botox review is due." + STOP)
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed):
        template_update(
            caller=clinic_a.caller(),
            template=template,
            data=TemplateInput(
                name="Reminder", channel="sms", kind="marketing", body_text=template.body_text
            ),
        )
