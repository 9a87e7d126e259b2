"""Bulk send: a preview says who is left out and why; confirming queues one message per
eligible patient, once, however often it is confirmed; consent is checked again per recipient."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.inbox import bulk
from aescrm.inbox.models import BulkRecipient, BulkSend, BulkStatus, RecipientStatus
from aescrm.inbox.tests.conftest import no_quiet_hours
from aescrm.messaging import worker
from aescrm.messaging.models import Message
from aescrm.messaging.webhooks import handle_keyword
from aescrm.patients import services as patients
from aescrm.patients.models import AppointmentStatus, Patient
from aescrm.templating.tests.support import make_template
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import book, member_client, text

pytestmark = pytest.mark.django_db

OFFER = (
    "Hi {{ first_name }}, whitening is 20% off this month at {{ clinic_name }}. "
    "Reply STOP to opt out"
)
FORM = {
    "stage": "",
    "tag": "",
    "treatment": "",
    "last_visit_before": "",
    "channel": "sms",
    "kind": "marketing",
    "template": "",
    "subject": "",
    "body": OFFER,
}


@pytest.fixture
def patients_of_a(clinic_a: ClinicWorld, console: None) -> dict[str, Patient]:
    no_quiet_hours(clinic_a)
    make = clinic_a.make_patient
    found = {
        "yes": make(first_name="Anwen", phone="07700 900301", consent={"sms": True}),
        "also": make(first_name="Bryn", phone="07700 900302", consent={"sms": True}),
        "never": make(first_name="Carys", phone="07700 900303"),
        "stopped": make(first_name="Dylan", phone="07700 900304", consent={"sms": True}),
        "restricted": make(first_name="Elin", phone="07700 900305", consent={"sms": True}),
        "no_phone": make(first_name="Ffion", email="ffion@example.org", consent={"sms": True}),
    }
    with clinic_scope(clinic_a.clinic.pk):
        handle_keyword(found["stopped"], "STOP")
        patients.patient_update(
            caller=clinic_a.caller(),
            patient=found["restricted"],
            data=patients.PatientInput(restricted=True),
        )
    return found


def _manager(world: ClinicWorld) -> Any:
    return member_client(world, "manager")


def _token(page: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f-]{36})"', page)
    assert match, "no confirm form"
    return match.group(1)


def _poll(page: str) -> str:
    match = re.search(r'hx-get="([^"]+)" hx-trigger="every 5s"', page)
    assert match, "no poll"
    return match.group(1)


def _excluded(page: str) -> dict[str, list[str]]:
    """The preview's "Not sent, and why": {heading: ["Name — reason", …]}."""
    groups = {}
    for block in page.split('<details class="panel excluded-group"')[1:]:
        label = block.split("<summary><strong>")[1].split("</strong>")[0]
        rows = re.findall(r'<li><a href="/patients/[^"]+/">(.*?)</a> — (.*?)</li>', block)
        groups[label] = [f"{name} — {why}" for name, why in rows]
    return groups


def test_the_preview_counts_and_names_who_is_left_out_and_why(
    clinic_a: ClinicWorld, patients_of_a: dict[str, Patient]
) -> None:
    response = _manager(clinic_a).post("/inbox/bulk/", FORM)

    page = text(response)
    assert response.status_code == 200
    assert "The filter chooses <strong>6</strong> patients." in page
    assert "<strong>2</strong> will be sent this marketing SMS." in page
    assert "<strong>4</strong> will not" in page
    excluded = _excluded(page)
    assert excluded["No marketing consent"] == [
        "Carys Patient — No consent to marketing by SMS recorded"
    ]
    (stopped,) = excluded["Opted out"]
    assert re.fullmatch(
        r"Dylan Patient — Opted out of marketing by replying STOP on \d+ \w+ \d{4}", stopped
    )
    assert excluded["Record restricted"] == [
        "Elin Patient — This patient&#x27;s record is restricted: no messages are sent"
    ]
    assert excluded["No mobile number"] == ["Ffion Patient — This patient has no phone number"]
    assert "Hi Anwen, whitening is 20% off this month at Alpha Dental. Reply STOP" in page
    assert "2 SMS parts in all, about £0.08." in page  # one part each, 4p a part
    with clinic_scope(clinic_a.clinic.pk):
        assert not BulkSend.objects.exists() and not Message.objects.exists()
        audit = AuditEntry.objects.get(action="patient.list", purpose="bulk send preview")
    assert (audit.detail["matched"], audit.detail["eligible"], audit.detail["excluded"]) == (
        6,
        2,
        4,
    )


def test_confirming_queues_for_the_eligible_only_and_sends(
    clinic_a: ClinicWorld,
    patients_of_a: dict[str, Patient],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = _manager(clinic_a)
    token = _token(text(client.post("/inbox/bulk/", FORM)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inbox/bulk/confirm", {**FORM, "token": token})

    with clinic_scope(clinic_a.clinic.pk):
        send = BulkSend.objects.get()
        messages = list(Message.objects.select_related("patient"))
        recipients = {r.patient_id: r for r in BulkRecipient.objects.filter(bulk=send)}
    assert response.status_code == 302 and response["Location"] == f"/inbox/bulk/{send.pk}/"
    assert sorted(m.patient.first_name for m in messages) == ["Anwen", "Bryn"]
    assert {m.kind for m in messages} == {"marketing"}
    assert {m.status for m in messages} == {"sent"}  # console mode
    assert {str(m.body) for m in messages} == {
        "Hi Anwen, whitening is 20% off this month at Alpha Dental. Reply STOP to opt out",
        "Hi Bryn, whitening is 20% off this month at Alpha Dental. Reply STOP to opt out",
    }
    for key in ("never", "stopped", "restricted", "no_phone"):
        excluded = recipients[patients_of_a[key].pk]
        assert excluded.status == RecipientStatus.EXCLUDED and excluded.message_id is None
    assert send.status == BulkStatus.DONE and send.created_by_id == clinic_a.users["manager"].pk
    page = text(client.get(f"/inbox/bulk/{send.pk}/"))
    assert "<dt>Sent</dt><dd>2</dd>" in page and "<dt>Not sent</dt><dd>4</dd>" in page


def test_confirming_twice_queues_once(
    clinic_a: ClinicWorld,
    patients_of_a: dict[str, Patient],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = _manager(clinic_a)
    token = _token(text(client.post("/inbox/bulk/", FORM)))

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/inbox/bulk/confirm", {**FORM, "token": token})
        second = client.post("/inbox/bulk/confirm", {**FORM, "token": token}, follow=True)

    assert second.redirect_chain[0][0] == first["Location"]
    assert "This bulk send was confirmed already; nothing more was queued." in text(second)
    with clinic_scope(clinic_a.clinic.pk):
        assert BulkSend.objects.count() == 1
        assert Message.objects.count() == 2


def test_running_the_queuing_task_again_queues_nobody_twice(
    clinic_a: ClinicWorld,
    patients_of_a: dict[str, Patient],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = _manager(clinic_a)
    token = _token(text(client.post("/inbox/bulk/", FORM)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/inbox/bulk/confirm", {**FORM, "token": token})

    with clinic_scope(clinic_a.clinic.pk):
        send = BulkSend.objects.get()
        BulkSend.objects.filter(pk=send.pk).update(status=BulkStatus.QUEUING)  # as if cut short
        assert bulk.bulk_process(send.pk) == 0
        assert Message.objects.count() == 2


def test_consent_withdrawn_after_confirming_is_honoured_when_queuing(
    clinic_a: ClinicWorld, patients_of_a: dict[str, Patient]
) -> None:
    client = _manager(clinic_a)
    token = _token(text(client.post("/inbox/bulk/", FORM)))
    client.post("/inbox/bulk/confirm", {**FORM, "token": token})  # the task has not run yet
    with clinic_scope(clinic_a.clinic.pk):
        handle_keyword(patients_of_a["also"], "STOP")
        send = BulkSend.objects.get()

        assert bulk.bulk_process(send.pk) == 1

        late = BulkRecipient.objects.get(bulk=send, patient=patients_of_a["also"])
        assert [m.patient_id for m in Message.objects.all()] == [patients_of_a["yes"].pk]
    assert late.status == RecipientStatus.EXCLUDED and late.reason == "opted_out"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"body": "Botox from £99! Reply STOP to opt out"},
            "Human Medicines Regulations 2012",
        ),
        ({"body": "Whitening offer this week only"}, "must tell the patient how to opt out"),
        ({"body": "Book at {{ booking_link }} Reply STOP"}, "not {{ booking_link }}"),
        ({"body": ""}, "Choose a template or write the message"),
        ({"kind": "gossip"}, "Select a valid choice"),
    ],
)
def test_wording_is_checked_like_a_template(
    clinic_a: ClinicWorld, patients_of_a: dict[str, Patient], change: dict[str, str], error: str
) -> None:
    response = _manager(clinic_a).post("/inbox/bulk/", {**FORM, **change})

    assert response.status_code == 422
    assert error in text(response)
    assert 'name="token"' not in text(response)  # no confirm button: back on the form


def test_a_template_is_used_and_must_match_the_kind(
    clinic_a: ClinicWorld, patients_of_a: dict[str, Patient]
) -> None:
    template = make_template(
        clinic_a,
        name="Winter",
        kind="marketing",
        body_text="{{ first_name }}, winter check-ups are open. Reply STOP to opt out",
    )
    client = _manager(clinic_a)

    preview = text(client.post("/inbox/bulk/", {**FORM, "body": "", "template": template.pk}))
    as_service = client.post(
        "/inbox/bulk/", {**FORM, "body": "", "template": template.pk, "kind": "service"}
    )

    assert "Anwen, winter check-ups are open. Reply STOP to opt out" in preview
    assert as_service.status_code == 422
    assert "This is a marketing template: send it as marketing" in text(as_service)


def test_filters_by_stage_tag_interest_and_last_visit(clinic_a: ClinicWorld, console: None) -> None:
    no_quiet_hours(clinic_a)
    make = clinic_a.make_patient
    lapsed = make(first_name="Lapsed", phone="07700 900401", stage="patient", tags=["VIP"])
    recent = make(first_name="Recent", phone="07700 900402", stage="patient", tags=["vip"])
    lead = make(first_name="Lead", phone="07700 900403")
    with clinic_scope(clinic_a.clinic.pk):
        for patient, day in ((lapsed, 3), (recent, 4)):
            visit = book(clinic_a, patient, dt.datetime(2025, 3, day, 10, 0))
            patients.appointment_update(
                caller=clinic_a.caller(), appointment=visit, status=AppointmentStatus.ATTENDED
            )
        later = book(clinic_a, recent, dt.datetime(2026, 6, 1, 10, 0))
        patients.appointment_update(
            caller=clinic_a.caller(), appointment=later, status=AppointmentStatus.ATTENDED
        )
        book(clinic_a, lapsed, dt.datetime(2026, 6, 2, 10, 0))  # booked, not attended
        patients.enquiry_create(
            caller=clinic_a.caller(),
            patient=lead,
            channel="web_form",
            treatment=clinic_a.treatment,
            message="",
        )
    client = _manager(clinic_a)

    def chosen(**audience: str) -> str:
        page = text(client.post("/inbox/bulk/", {**FORM, "kind": "service", **audience}))
        return page.split("The filter chooses <strong>")[1].split("</strong>")[0]

    assert chosen(stage="patient") == "2"
    assert chosen(tag="vip") == "2"
    assert chosen(tag="vip", last_visit_before="2026-01-01") == "1"
    assert chosen(treatment=str(clinic_a.treatment.pk)) == "1"  # type: ignore[union-attr]
    assert chosen(stage="lost") == "0"


def test_a_member_who_lost_the_right_stops_the_send(
    clinic_a: ClinicWorld, patients_of_a: dict[str, Patient]
) -> None:
    from aescrm.accounts.services import membership_set

    client = _manager(clinic_a)
    token = _token(text(client.post("/inbox/bulk/", FORM)))
    client.post("/inbox/bulk/confirm", {**FORM, "token": token})
    membership_set(clinic=clinic_a.clinic, user=clinic_a.users["manager"], role="receptionist")

    with clinic_scope(clinic_a.clinic.pk):
        send = BulkSend.objects.get()
        assert bulk.bulk_process(send.pk) == 0
        send.refresh_from_db()
        assert send.status == BulkStatus.STOPPED
        assert not Message.objects.exists()


def test_the_progress_poll_answers_204_until_something_changes(
    clinic_a: ClinicWorld, patients_of_a: dict[str, Patient]
) -> None:
    client = _manager(clinic_a)
    token = _token(text(client.post("/inbox/bulk/", FORM)))
    client.post("/inbox/bulk/confirm", {**FORM, "token": token})
    with clinic_scope(clinic_a.clinic.pk):
        send = BulkSend.objects.get()
    page = text(client.get(f"/inbox/bulk/{send.pk}/"))
    poll = _poll(page)
    assert "<dt>Waiting to be queued</dt><dd>2</dd>" in page
    assert client.get(poll).status_code == 204

    with clinic_scope(clinic_a.clinic.pk):
        bulk.bulk_process(send.pk)
    queued = client.get(poll)
    with clinic_scope(clinic_a.clinic.pk):
        worker.process_clinic()  # console mode: recorded as sent
    sent = client.get(_poll(text(queued)))

    assert "<dt>Queued</dt><dd>2</dd>" in text(queued) and "every 5s" in text(queued)
    assert "<dt>Sent</dt><dd>2</dd>" in text(sent)
    assert "every 5s" not in text(sent)  # all sent: the polling stops


def test_the_minutely_sweep_finishes_a_send_whose_task_never_ran(
    clinic_a: ClinicWorld, patients_of_a: dict[str, Patient]
) -> None:
    from django.utils import timezone

    from aescrm.inbox.tasks import sweep_bulk_sends

    client = _manager(clinic_a)
    token = _token(text(client.post("/inbox/bulk/", FORM)))
    client.post("/inbox/bulk/confirm", {**FORM, "token": token})  # its task is lost
    with clinic_scope(clinic_a.clinic.pk):
        BulkSend.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))

    assert sweep_bulk_sends.call_local() == 2

    with clinic_scope(clinic_a.clinic.pk):
        assert BulkSend.objects.get().status == BulkStatus.DONE
        assert sorted(m.patient.first_name for m in Message.objects.all()) == ["Anwen", "Bryn"]
