"""The enquiries list: newest first, with channel, patient, treatment and status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Enquiry
from aescrm.web.tests.support import add_enquiry, member_client, text

pytestmark = pytest.mark.django_db


def test_it_lists_enquiries_newest_first_with_their_details(clinic_a: Any) -> None:
    zeb = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    amy = clinic_a.make_patient(first_name="Amy", last_name="Older")
    old = add_enquiry(clinic_a, amy, channel="phone")
    new = add_enquiry(clinic_a, zeb, channel="web_form", treatment=clinic_a.treatment)
    with clinic_scope(clinic_a.clinic.pk):
        Enquiry.objects.filter(pk=old.pk).update(created_at=new.created_at - dt.timedelta(hours=1))

    page = text(member_client(clinic_a, "marketer").get("/enquiries/"))

    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "Web form" in rows[0]
    assert f'href="/patients/{zeb.pk}/">Zebedee Quixotic</a>' in rows[0]
    assert "Hygienist appointment" in rows[0]
    assert '<span class="badge">New</span>' in rows[0]
    assert "Phone" in rows[1]
    assert f'href="/patients/{amy.pk}/">Amy Older</a>' in rows[1]


def test_it_pages_to_older_enquiries(clinic_a: Any) -> None:
    patient = clinic_a.make_patient()
    for _ in range(52):
        add_enquiry(clinic_a, patient, channel="chat")
    client = member_client(clinic_a, "receptionist")

    first = text(client.get("/enquiries/"))
    older_url = first.split('" rel="next">Older enquiries')[0].rsplit('href="', 1)[1]
    second = text(client.get(older_url))

    assert first.count("<tr>") == 51  # header + 50
    assert second.count("<tr>") == 3  # header + 2
    assert "Older enquiries" not in second
