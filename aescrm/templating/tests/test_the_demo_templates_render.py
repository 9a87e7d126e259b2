"""The demo seed's templates pass the checks and render for a booked patient."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.demo.seed import DEMO_TEMPLATES
from aescrm.templating.rendering import render
from aescrm.templating.selectors import PREVIEW_LINKS
from aescrm.templating.services import TemplateInput, template_create
from aescrm.web.tests.support import book

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("data", DEMO_TEMPLATES, ids=lambda d: d.name)
def test_each_demo_template_saves_and_renders(clinic_a: Any, data: TemplateInput) -> None:
    patient = clinic_a.make_patient(first_name="Amelia")
    appointment = book(clinic_a, patient, dt.datetime(2026, 3, 3, 10, 30))
    with clinic_scope(clinic_a.clinic.pk):
        template = template_create(caller=clinic_a.caller(), data=TemplateInput(**vars(data)))
        out = render(
            template,
            clinic=clinic_a.clinic,
            patient=patient,
            appointment=appointment,
            links=PREVIEW_LINKS,
        )
    assert "Amelia" in out.text and "{{" not in out.text + out.subject + out.html
    if template.channel == "sms":
        assert out.segments is not None and out.segments.parts <= 2
