"""Settings → Assistant → Test the assistant: staff write as a visitor and see the reply with
its intent, engine, the knowledge it used and every safety check's decision; nothing is
stored or booked, and "Start again" forgets the conversation."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.assistant.tests.support import stock
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, Enquiry, Patient
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db
TEST = "/settings/assistant/test"
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def _rows(page: str) -> list[list[str]]:
    """The safety-check table of the last answer, as [check, stage, decision, detail] rows."""
    table = page.rsplit("<caption>Safety checks</caption>", 1)[1].split("</table>")[0]
    rows = []
    for row in table.split("<tr>")[2:]:
        cells = [c.split("</td>")[0] for c in row.split("<td")[1:]]
        rows.append([c.split(">", 1)[1] for c in cells])
    return rows


def test_a_receptionist_sees_the_reply_and_every_check(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    client = member_client(clinic_a, "receptionist")

    page = text(client.post(TEST, {"message": "How much is lip filler?"}, **HTMX))

    assert page.startswith('<div id="test-panel">')
    assert "<strong>Visitor:</strong> How much is lip filler?" in page
    assert "£250" in page.split("<strong>Assistant:</strong>")[1].split("</p>")[0]
    assert "<dt>Intent</dt><dd>pricing</dd>" in page
    assert "<dt>Engine</dt><dd>embedded" in page
    assert "Lip filler (1ml)" in page.split("<dt>Knowledge used</dt>")[1].split("</dd>")[0]
    rows = _rows(page)
    checks = {(check, stage) for check, stage, _, _ in rows}
    assert {("emergency", "Visitor’s message"), ("price_grounding", "Reply")} <= checks
    assert {decision for _, _, decision, _ in rows} <= {"pass", "block", "rewrite", "alert", "flag"}


def test_an_emergency_shows_the_check_that_stepped_in(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    client = member_client(clinic_a, "owner")

    page = text(
        client.post(
            TEST, {"message": "My lips are swelling and I can't breathe after filler"}, **HTMX
        )
    )

    emergency = [row for row in _rows(page) if row[0] == "emergency"]
    assert emergency and emergency[0][2] != "pass"
    assert "999" in page.split("<strong>Assistant:</strong>")[1].split("</p>")[0]


def test_the_conversation_continues_and_start_again_forgets_it(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    client = member_client(clinic_a, "manager")

    first = text(client.post(TEST, {"message": "I'd like to book lip filler"}, **HTMX))
    second = text(client.post(TEST, {"message": "Tomorrow morning please"}, **HTMX))
    # A quick reply is sent in place of the (empty) text box
    assert 'name="quick_reply"' in first
    quick = text(client.post(TEST, {"quick_reply": "Speak to a person", "message": ""}, **HTMX))
    kept = text(client.get("/settings/assistant/knowledge"))
    cleared = text(client.post(f"{TEST}/reset", **HTMX))

    assert second.count('<li class="test-turn">') == 2
    assert "<strong>Visitor:</strong> Speak to a person" in quick
    assert "Tomorrow morning please" in kept and "I&#x27;d like to book lip filler" in kept
    assert "test-turn" not in cleared
    assert "Start again" not in cleared
    # Nothing was stored, created or booked
    with clinic_scope(clinic_a.clinic.pk):
        assert not ChatSession.objects.exists() and not ChatTurn.objects.exists()
        assert not Appointment.objects.exists() and not Enquiry.objects.exists()
        assert not Patient.objects.exists()


def test_without_javascript_it_posts_and_comes_back_to_the_panel(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    client = member_client(clinic_a, "marketer")

    response = client.post(TEST, {"message": "Is there parking?"})
    page = text(client.get(response["Location"]))
    empty = client.post(TEST, {"message": "  "}, follow=True)

    assert response["Location"] == "/settings/assistant/knowledge#test"
    assert "Where are you and is there parking?" in page.split("<dt>Knowledge used</dt>")[1]
    assert "Write a message first." in text(empty)


def test_each_clinic_member_has_their_own_conversation(clinic_a: Any, clinic_b: Any) -> None:
    stock(clinic_a.clinic)
    member_client(clinic_a, "owner").post(TEST, {"message": "Is there parking?"}, **HTMX)

    other = text(member_client(clinic_b, "owner").get("/settings/assistant/knowledge"))

    assert "Is there parking?" not in other
