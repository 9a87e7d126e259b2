"""Owners and managers replace a section's wording (published at once) and reset it to the
generated wording; both are audited by section name. Other roles get 403; another clinic's
members only ever change their own notice."""

from __future__ import annotations

import pytest
from django.test import Client

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.notices.models import NoticeOverride
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

OWN = "Contact our data lead, Sam, at privacy@alpha.example.\n\n- By post\n- In person"


def _public(world: ClinicWorld) -> str:
    return text(Client().get(f"/p/{world.clinic.public_key}/privacy"))


def test_an_owner_rewords_a_section_and_resets_it(clinic_a: ClinicWorld) -> None:
    owner = member_client(clinic_a, "owner")

    page = text(owner.get("/settings/notices"))
    saved = owner.post("/settings/notices/privacy/who", {"text": OWN})
    published = _public(clinic_a)
    settings_page = text(owner.get("/settings/notices"))
    reset = owner.post("/settings/notices/privacy/who/reset")
    after = _public(clinic_a)

    assert "Who we are" in page and "Reset to generated</button>" not in page
    assert saved.status_code == 302
    assert "<p>Contact our data lead, Sam, at privacy@alpha.example.</p>" in published
    assert "<ul><li>By post</li><li>In person</li></ul>" in published
    assert "processes your data only on our instructions" not in published
    assert "Your wording" in settings_page and "Reset to generated</button>" in settings_page
    assert reset.status_code == 302
    assert "privacy@alpha.example" not in after
    assert "processes your data only on our instructions" in after
    with clinic_scope(clinic_a.clinic.pk):
        assert not NoticeOverride.objects.exists()
        entries = list(
            AuditEntry.objects.filter(action__startswith="notice.")
            .order_by("id")
            .values_list("action", "detail")
        )
    assert [a for a, _ in entries] == ["notice.section_edit", "notice.section_reset"]
    assert entries[0][1] == {"notice": "privacy", "section": "who", "created": True}
    assert "privacy@alpha.example" not in str(entries)


def test_empty_wording_is_refused_and_unknown_sections_are_404(clinic_a: ClinicWorld) -> None:
    manager = member_client(clinic_a, "manager")

    empty = manager.post("/settings/notices/ai/what", {"text": "  "}, follow=True)
    unknown = manager.post("/settings/notices/privacy/nonsense", {"text": "x"})
    bad_notice = manager.post("/settings/notices/cookies/who", {"text": "x"})
    # Measurement is not switched on for this clinic, so it has no such section.
    absent = manager.post("/settings/notices/privacy/measurement", {"text": "x"})

    assert "Not saved: enter the section" in text(empty)
    assert (unknown.status_code, bad_notice.status_code, absent.status_code) == (404, 404, 404)
    with clinic_scope(clinic_a.clinic.pk):
        assert not NoticeOverride.objects.exists()


@pytest.mark.parametrize("role", ["receptionist", "clinician", "marketer", "auditor"])
def test_other_roles_may_not_edit(clinic_a: ClinicWorld, role: str) -> None:
    client = member_client(clinic_a, role)

    assert client.get("/settings/notices").status_code == 403
    assert client.post("/settings/notices/privacy/who", {"text": OWN}).status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert not NoticeOverride.objects.exists()


def test_another_clinic_changes_only_its_own_notice(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    member_client(clinic_a, "owner").post("/settings/notices/privacy/who", {"text": OWN})
    outsider = member_client(clinic_b, "owner")

    outsider.post("/settings/notices/privacy/who", {"text": "Bravo's own words"})
    outsider.post("/settings/notices/privacy/who/reset")
    page = text(outsider.get("/settings/notices"))

    assert "privacy@alpha.example" in _public(clinic_a)
    assert "privacy@alpha.example" not in page
    assert "Bravo" not in _public(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        assert NoticeOverride.objects.get().text == OWN
    with clinic_scope(clinic_b.clinic.pk):
        assert not NoticeOverride.objects.exists()
