"""The health page's figures match a count by hand: automation steps scheduled, due, failed
in the last 7 days and the age of the oldest due; the same for outgoing messages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from aescrm.automation import log
from aescrm.automation.models import Outcome
from aescrm.automation.tests.conftest import book, london
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Message, Status
from aescrm.messaging.services import message_queue
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client


def _figures(world: ClinicWorld) -> dict[str, str]:
    page = member_client(world, "receptionist").get("/automations/health/figures")
    assert page.status_code == 200
    return dict(re.findall(r'<dd id="([a-z-]+)">([^<]*)</dd>', page.content.decode()))


def test_the_figures_match_a_hand_count(recipe_clinic: ClinicWorld, clock: Any) -> None:
    world = recipe_clinic
    clock.move_to(london(2026, 6, 1, 12))
    ada = world.make_patient(first_name="Ada", phone="07700 900801")
    # Three appointments, two reminders each: six steps scheduled
    book(world, ada, london(2026, 6, 4, 10))  # 48h reminder due Tue 2 June 10:00
    book(world, ada, london(2026, 6, 4, 15))  # due Tue 2 June 15:00
    book(world, ada, london(2026, 6, 20, 10))  # due 18 June
    with clinic_scope(world.clinic.pk):
        # A step that failed 3 days ago counts; one 8 days ago does not
        log.write(ada.pk, Outcome.FAILED, at=london(2026, 5, 29, 12), reason="step_failed")
        log.write(ada.pk, Outcome.FAILED, at=london(2026, 5, 24, 12), reason="step_failed")
        # Messages: one queued to go now; one queued at 22:00, held until 08:00
        message_queue(caller=world.caller(), patient=ada, body="Now", kind="service")
        message_queue(
            caller=world.caller(),
            patient=ada,
            body="Tonight",
            kind="service",
            now=london(2026, 6, 1, 22),
        )
        failed = message_queue(caller=world.caller(), patient=ada, body="Lost", kind="service")
        Message.objects.filter(pk=failed.pk).update(status=Status.FAILED)

    # On Tuesday at 16:30, with no worker having run: two steps due, the oldest since 10:00
    clock.move_to(london(2026, 6, 2, 16, 30))
    assert _figures(world) == {
        "runs-queued": "6",
        "runs-due": "2",
        "runs-failed": "1",
        "runs-oldest": "6 hours 30 minutes",
        "messages-queued": "2",
        "messages-due": "2",
        "messages-failed": "1",
        "messages-oldest": "1 day 4 hours",
    }
    # On Monday at 12:00 nothing of the automations was due, and one message was
    clock.move_to(london(2026, 6, 1, 12, 0) + dt.timedelta(seconds=30))
    figures = _figures(world)
    assert (figures["runs-due"], figures["runs-oldest"]) == ("0", "none due")
    assert (figures["messages-due"], figures["messages-oldest"]) == ("1", "under a minute")
