"""Pages poll a small fragment: 204 while nothing changed, the new content once it has."""

from __future__ import annotations

import re

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.support import conversation_of, fresh, inbound, texting_patient
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _poll_url(page: str, target: str) -> str:
    match = re.search(rf'hx-get="([^"]+)" hx-trigger="every 5s" hx-target="#{target}"', page)
    assert match, f"no poll for #{target}"
    return match.group(1).replace("&amp;", "&")


def test_the_thread_poll_is_empty_until_the_patient_writes(clinic_a: ClinicWorld) -> None:
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Hello")
    conversation = conversation_of(clinic_a, patient)
    client = member_client(clinic_a, "receptionist")
    poll = _poll_url(text(client.get(f"/inbox/{conversation.pk}/")), "thread-region")
    with clinic_scope(clinic_a.clinic.pk):
        reads = AuditEntry.objects.filter(action="conversation.read").count()

    quiet = client.get(poll, HTTP_HX_REQUEST="true")
    assert quiet.status_code == 204 and quiet.content == b""

    inbound(clinic_a, patient, "Are you there?")
    fragment = client.get(poll, HTTP_HX_REQUEST="true")

    assert fragment.status_code == 200
    html = text(fragment)
    assert "Are you there?" in html and "<html" not in html
    assert fresh(clinic_a, conversation).unread_count == 0  # shown, so read
    next_poll = _poll_url(html, "thread-region")
    assert next_poll != poll
    assert client.get(next_poll).status_code == 204
    with clinic_scope(clinic_a.clinic.pk):
        # the 204s read nothing; the fragment that showed the message is audited
        assert AuditEntry.objects.filter(action="conversation.read").count() == reads + 1


def test_the_list_poll_brings_a_new_conversation(clinic_a: ClinicWorld) -> None:
    client = member_client(clinic_a, "receptionist")
    poll = _poll_url(text(client.get("/inbox/?unread=on")), "inbox-region")
    assert "unread=on" in poll
    assert client.get(poll).status_code == 204

    inbound(clinic_a, texting_patient(clinic_a, first_name="Gwilym"), "Any appointments today?")
    fragment = client.get(poll)

    assert fragment.status_code == 200
    html = text(fragment)
    assert "Gwilym Pryce" in html and "Any appointments today?" in html
    assert 'Unread <span class="count">1</span>' in html
    assert client.get(_poll_url(html, "inbox-region")).status_code == 204


def test_pages_load_htmx_from_our_own_static_files_with_a_csp_safe_config(
    clinic_a: ClinicWorld,
) -> None:
    response = member_client(clinic_a, "receptionist").get("/inbox/")
    html = text(response)

    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    assert "<script>" not in html and "style=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
