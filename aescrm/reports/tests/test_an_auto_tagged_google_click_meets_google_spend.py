"""A Google Ads click that carried only its gclid (auto-tagging, no UTM tags) is google / cpc.

That is how Google Analytics reports it, and where the Google Ads spend is
imported; grouped as "(direct)" the leads and the spend that bought them
would sit on two different rows, and Google's cost per lead would be blank.
Tags the clinic did add still win.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.attribution.touch import parse_touch
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.reports.attribution import attribution_report
from aescrm.reports.models import SpendFormat
from aescrm.reports.services import ad_spend_import
from aescrm.reports.spend_csv import SpendRow

pytestmark = pytest.mark.django_db


def _lead(world: Any, n: int, touch: dict[str, str] | None) -> None:
    patient = world.make_patient(email=f"auto{n}@example.com")
    with clinic_scope(world.clinic.pk):
        services.enquiry_create(
            caller=world.caller(),
            patient=patient,
            channel="web_form",
            last_touch=parse_touch(touch, prefix="last_touch"),
        )


def test_gclid_only_leads_share_a_row_with_google_spend(clinic_a: Any) -> None:
    today = dt.datetime.now(clinic_a.clinic.tz).date()
    _lead(clinic_a, 1, {"gclid": "Cj0KCQiA-auto-1"})
    _lead(clinic_a, 2, {"gclid": "Cj0KCQiA-auto-2", "utm_campaign": "implants"})
    _lead(clinic_a, 3, {"gclid": "Cj0KCQiA-auto-3", "utm_source": "newsletter"})
    _lead(clinic_a, 4, None)
    with clinic_scope(clinic_a.clinic.pk):
        ad_spend_import(
            caller=clinic_a.caller(),
            rows=[
                SpendRow(
                    date=today, source="google", medium="cpc", campaign="implants", spend_pence=6000
                )
            ],
            source_format=SpendFormat.PLAIN,
        )
        by_source = attribution_report(
            caller=clinic_a.caller(), clinic=clinic_a.clinic, date_from=today, date_to=today
        )
        by_campaign = attribution_report(
            caller=clinic_a.caller(),
            clinic=clinic_a.clinic,
            date_from=today,
            date_to=today,
            group_by="campaign",
        )

    rows = {tuple(r.key.values()): r for r in by_source.rows}
    assert set(rows) == {("google", "cpc"), ("newsletter", "(none)"), ("(direct)", "(none)")}
    google = rows[("google", "cpc")]
    assert (google.leads, google.spend_pence, google.cost_per_lead_pence) == (2, 6000, 3000)
    assert rows[("(direct)", "(none)")].leads == 1
    campaigns = {tuple(r.key.values()): r.leads for r in by_campaign.rows}
    assert campaigns[("google", "implants")] == 1
    assert campaigns[("google", "(none)")] == 1
