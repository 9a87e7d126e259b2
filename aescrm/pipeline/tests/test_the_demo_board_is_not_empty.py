"""The demo clinics' leads are spread over the pipeline, once, however often the seed runs."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.demo import seed
from aescrm.patients.models import Enquiry
from aescrm.pipeline.models import PipelineSettings

pytestmark = pytest.mark.django_db


def test_the_seed_spreads_demo_leads_over_the_stages_idempotently(monkeypatch: Any) -> None:
    monkeypatch.setattr(
        seed, "CLINICS", [(slug, name, domains, 30) for slug, name, domains, _ in seed.CLINICS]
    )
    harbour = seed.seed_demo()[0].clinic
    with clinic_scope(harbour.pk):
        first = dict(Enquiry.objects.values_list("pk", "stage"))
    seed.seed_demo()

    with clinic_scope(harbour.pk):
        assert dict(Enquiry.objects.values_list("pk", "stage")) == first
        assert PipelineSettings.objects.get().round_robin is True
        new = Enquiry.objects.filter(stage="new")
        assert new.count() == 6 and not new.filter(first_response_at__isnull=False).exists()
        assert not Enquiry.objects.filter(stage="lost", lost_reason="").exists()
        assert not Enquiry.objects.filter(treatment__isnull=True).exists()
    assert len(set(first.values())) >= 5
