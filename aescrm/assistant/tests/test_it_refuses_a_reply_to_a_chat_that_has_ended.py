"""Once a chat has expired the visitor has left the page: a reply is refused with the time the
chat ended on the clinic's clock, and nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.assistant import staff
from aescrm.assistant.models import ChatSession
from aescrm.assistant.tests.staff_support import fresh, make_chat, turns_of
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

# 13:05 UTC in July is 14:05 in London (British Summer Time).
ENDED = dt.datetime(2025, 7, 1, 13, 5, tzinfo=dt.UTC)
ENDED_MESSAGE = "this chat ended at 14:05; the visitor is no longer on the page"


@pytest.fixture
def ended(clinic_a: ClinicWorld) -> ChatSession:
    return make_chat(
        clinic_a,
        last_activity_at=ENDED - dt.timedelta(minutes=30),
        ttl=dt.timedelta(minutes=30),
        handoff_requested=True,
    )


def test_the_service_refuses_naming_when_the_chat_ended(
    clinic_a: ClinicWorld, ended: ChatSession
) -> None:
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        staff.staff_reply(clinic_a.caller("receptionist"), ended, "Are you still there?")

    assert (refused.value.detail, refused.value.field) == (ENDED_MESSAGE, "body")
    assert len(turns_of(clinic_a, ended)) == 2
    assert fresh(clinic_a, ended).mode == "bot"


def test_the_page_says_it_ended_and_a_posted_reply_is_refused(
    clinic_a: ClinicWorld, ended: ChatSession
) -> None:
    client = member_client(clinic_a, "receptionist")

    page = text(client.get(f"/inbox/chats/{ended.pk}/"))
    posted = client.post(
        f"/inbox/chats/{ended.pk}/reply",
        {"body": "Are you still there?"},
    )

    assert "This chat ended at 14:05; the visitor is no longer on the page." in page
    assert 'id="reply"' not in page and "Take over" not in page
    assert posted.status_code == 422
    assert "This chat ended at 14:05; the visitor is no longer on the page" in text(posted)
    assert "Are you still there?</textarea>" in text(posted)  # the typed text is kept
    assert len(turns_of(clinic_a, ended)) == 2


def test_a_staff_reply_keeps_the_chat_open_for_a_full_period(clinic_a: ClinicWorld) -> None:
    from django.utils import timezone

    from aescrm.assistant.tests.support import Visit, stock

    stock(clinic_a.clinic)
    visit = Visit(clinic_a.clinic)
    visit.say("can I speak to someone please")
    with clinic_scope(clinic_a.clinic.pk):
        session = ChatSession.objects.get()
        session.expires_at = timezone.now() + dt.timedelta(minutes=1)
        session.save(update_fields=["expires_at"])
        staff.staff_reply(
            clinic_a.caller("receptionist"), session, "Hello, this is Sam at reception."
        )
        session.refresh_from_db()
    assert session.expires_at > timezone.now() + dt.timedelta(minutes=29)
