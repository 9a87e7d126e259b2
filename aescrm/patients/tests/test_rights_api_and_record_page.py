"""Restriction, objection, the consent ledger and field history over the API and on the
record page; another clinic's members and keys get 404 and change nothing."""

from __future__ import annotations

from typing import Any

from aescrm.conversions.models import ConversionUpload, NotEligible, UploadStatus
from aescrm.conversions.tests.conftest import configure, google_fake, meta_fake, touch  # noqa: F401
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Patient, RightsDecision
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text


def _state(world: ClinicWorld, patient: Patient) -> tuple[bool, bool, bool, int]:
    with clinic_scope(world.clinic.pk):
        p = Patient.objects.get(pk=patient.pk)
        return (
            p.restricted,
            p.objects_to_profiling,
            p.consent_sms,
            RightsDecision.objects.filter(patient=p).count(),
        )


def test_restriction_and_objection_over_the_api(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900501", consent={"sms": True})
    api = clinic_a.api()
    url = f"/api/v1/patients/{patient.pk}"

    restricted = api.post(f"{url}/restriction", {"action": "restrict", "reason": "Disputed"})
    assert restricted.status_code == 200, restricted.content
    assert (restricted.json()["kind"], restricted.json()["restricted"]) == ("restrict", True)
    again = api.post(f"{url}/restriction", {"action": "restrict", "reason": "Twice"})
    assert again.status_code == 409
    no_reason = api.post(f"{url}/restriction", {"action": "lift", "reason": ""})
    assert no_reason.status_code == 422
    lifted = api.post(f"{url}/restriction", {"action": "lift", "reason": "Resolved"})
    assert lifted.json()["restricted"] is False

    objected = api.post(f"{url}/objection", {"kind": "marketing", "reason": "By letter"})
    assert objected.json()["consent"] == {
        "sms": False,
        "email": False,
        "phone": False,
        "ad_measurement": None,
    }
    profiling = api.post(f"{url}/objection", {"kind": "profiling", "reason": "By letter"})
    assert profiling.json()["objects_to_profiling"] is True
    assert api.get(url).json()["objects_to_profiling"] is True  # the record says so too

    consents = api.get(f"{url}/consents").json()
    assert consents["current"]["sms_marketing"]["granted"] is False
    assert consents["current"]["sms_marketing"]["source"] == "objection"
    assert [(e["purpose"], e["granted"]) for e in consents["ledger"]] == [
        ("sms_marketing", False),
        ("sms_marketing", True),
    ]


def test_history_shows_old_values_only_to_those_who_may_edit(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Ann", email="ann@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        services.patient_update(
            caller=clinic_a.caller(),
            patient=patient,
            data=services.PatientInput(email="anne@example.com"),
        )
    (change,) = clinic_a.api().get(f"/api/v1/patients/{patient.pk}/history").json()
    assert (change["field"], change["old_value"], change["source"]) == (
        "email",
        "ann@example.com",
        "staff",
    )
    page = text(member_client(clinic_a, "marketer").get(f"/patients/{patient.pk}/"))
    assert "ann@example.com" not in page  # a marketer may not edit: no old values
    page = text(member_client(clinic_a, "receptionist").get(f"/patients/{patient.pk}/"))
    assert "ann@example.com" in page


def test_another_clinic_gets_404_and_changes_nothing(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient(phone="07700 900502", consent={"sms": True})
    before = _state(clinic_a, patient)
    api = clinic_b.api()
    url = f"/api/v1/patients/{patient.pk}"
    assert api.post(f"{url}/restriction", {"action": "restrict", "reason": "x"}).status_code == 404
    assert api.post(f"{url}/objection", {"kind": "marketing", "reason": "x"}).status_code == 404
    assert api.get(f"{url}/consents").status_code == 404
    assert api.get(f"{url}/history").status_code == 404
    web = member_client(clinic_b, "owner")
    posted = web.post(f"/patients/{patient.pk}/rights", {"action": "restrict", "reason": "x"})
    assert posted.status_code == 404
    assert _state(clinic_a, patient) == before


def test_the_record_page_restricts_with_a_banner_and_lifts(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900503")
    web = member_client(clinic_a, "receptionist")
    done = web.post(
        f"/patients/{patient.pk}/rights", {"action": "restrict", "reason": "Accuracy contested"}
    )
    assert done.status_code == 302
    page = text(web.get(f"/patients/{patient.pk}/"))
    assert "Processing restricted since" in page
    assert "Accuracy contested" in page and "only storage; nothing is sent" in page
    web.post(f"/patients/{patient.pk}/rights", {"action": "lift", "reason": "Checked"})
    assert "Processing restricted since" not in text(web.get(f"/patients/{patient.pk}/"))
    assert _state(clinic_a, patient)[0] is False


def test_a_restriction_holds_conversion_uploads_until_it_is_lifted(
    clinic_a: ClinicWorld,
    google_fake: Any,  # noqa: F811
    meta_fake: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure(clinic_a, google=False)
    patient = clinic_a.make_patient(phone="07700 900504")
    caller = clinic_a.caller()
    with clinic_scope(clinic_a.clinic.pk):
        from aescrm.patients import rights

        rights.restrict(caller=caller, patient=patient, reason="Disputed")
        with django_capture_on_commit_callbacks(execute=True):
            services.enquiry_create(
                caller=caller, patient=patient, channel="web_form", last_touch=touch(fbclid="abc")
            )
        held = ConversionUpload.objects.get(platform="meta")
        assert (held.status, held.reason) == (UploadStatus.NOT_ELIGIBLE, NotEligible.RESTRICTED)
        assert meta_fake.posts == []

        with django_capture_on_commit_callbacks(execute=True):
            rights.lift_restriction(caller=caller, patient=patient, reason="Resolved")
        held.refresh_from_db()
    assert held.status == UploadStatus.UPLOADED
    assert len(meta_fake.posts) == 1


def test_an_objection_to_profiling_stops_uploads_and_scoring(
    clinic_a: ClinicWorld,
    google_fake: Any,  # noqa: F811
    meta_fake: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure(clinic_a, google=False)
    patient = clinic_a.make_patient(phone="07700 900505")
    caller = clinic_a.caller()
    with clinic_scope(clinic_a.clinic.pk):
        from aescrm.patients import rights
        from aescrm.pipeline.selectors import score_leads

        rights.object_to(caller=caller, patient=patient, kind="profiling", reason="By email")
        with django_capture_on_commit_callbacks(execute=True):
            enquiry = services.enquiry_create(
                caller=caller, patient=patient, channel="web_form", last_touch=touch(fbclid="abc")
            )
        upload = ConversionUpload.objects.get(platform="meta")
        (lead,) = score_leads([enquiry])
    assert upload.reason == NotEligible.OBJECTED
    assert meta_fake.posts == []
    assert lead.score is None


def test_staff_record_the_answer_about_ad_platform_measurement(
    clinic_a: Any, clinic_b: Any
) -> None:
    """From the record: the answer goes into the consent history with the question asked;
    another clinic's member changes nothing; a marketer may not record it."""
    from aescrm.patients.models import ConsentEvent

    patient = clinic_a.make_patient(first_name="Ola", email="ola@example.org")
    url = f"/patients/{patient.pk}/measurement"

    assert member_client(clinic_b, "owner").post(url, {"answer": "refused"}).status_code == 404
    assert member_client(clinic_a, "marketer").post(url, {"answer": "refused"}).status_code == 403
    nothing = member_client(clinic_a, "receptionist").post(url, {"answer": ""})
    refused = member_client(clinic_a, "receptionist").post(url, {"answer": "refused"})

    assert nothing.status_code == 400
    assert refused.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        event = ConsentEvent.objects.get(patient=patient, purpose="ad_measurement")
        stored = Patient.objects.get(pk=patient.pk)
    assert (event.granted, event.source) == (False, "staff")
    assert event.wording.startswith("May Alpha Dental tell Google and Meta")
    assert stored.consent_ad_measurement is False
    page = member_client(clinic_a, "receptionist").get(f"/patients/{patient.pk}/").content.decode()
    assert "Ad-platform measurement: <strong>Refused</strong>" in page
