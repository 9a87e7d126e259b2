"""Enquiry.first_response_at: set once, when the enquiry first leaves "new"."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Enquiry
from aescrm.web.tests.support import add_enquiry

pytestmark = pytest.mark.django_db


def test_leaving_new_sets_it_once_and_later_changes_keep_it(clinic_a: Any) -> None:
    enquiry = add_enquiry(clinic_a, clinic_a.make_patient(), channel="web_form")
    assert enquiry.first_response_at is None

    with clinic_scope(clinic_a.clinic.pk):
        enquiry.message = "Updated"
        enquiry.save()
        assert Enquiry.objects.get(pk=enquiry.pk).first_response_at is None

        enquiry.status = "contacted"
        enquiry.save(update_fields=["status"])
        first = Enquiry.objects.get(pk=enquiry.pk).first_response_at
        assert first is not None and first >= enquiry.created_at

        fresh = Enquiry.objects.get(pk=enquiry.pk)
        fresh.status = "booked"
        fresh.save()
        assert Enquiry.objects.get(pk=enquiry.pk).first_response_at == first
