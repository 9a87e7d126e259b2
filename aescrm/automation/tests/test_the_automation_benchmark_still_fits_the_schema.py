"""`make bench`'s automation benchmark writes clinics, appointments and reminder runs in bulk
(bench/automation.py): keep them in step with the engine, on both engines — the runs it
writes are taken and sent exactly as the engine's own, and its check counts what Twilio took."""

from __future__ import annotations

from aescrm.automation import engine
from aescrm.messaging import worker
from aescrm.testing.fakes.twilio import FakeTwilio


def test_the_bulk_reminders_are_taken_and_sent_once(db: None, twilio_fake: FakeTwilio) -> None:
    from bench import automation

    data = automation.make_data("t", clinics=2, per_clinic=3, seed=7)
    sweep = engine.Sweep()
    assert engine.process_all(sweep=sweep) == 6
    # The sweep sends what its steps queued, straight after them.
    assert sweep.sent == 6
    assert worker.process_all() == 0

    counted = automation._check(data, twilio_fake.taken())
    assert counted["rows_all_done"], counted
    assert (counted["duplicates"], counted["missing"], counted["strangers"]) == (0, 0, 0)
    assert all("a reminder of your appointment" in m["body"] for m in twilio_fake.taken())

    twilio_fake.messages.append(dict(twilio_fake.messages[0]))  # as if sent twice
    assert automation._check(data, twilio_fake.taken())["duplicates"] == 1


def test_the_report_section_renders(db: None) -> None:
    from bench import automation

    run = {
        "processes": 2,
        "reminders": 10_000,
        "drain_seconds": 50.0,
        "per_second": 200.0,
        "duplicates": 0,
        "missing": 0,
        "rows_all_done": True,
        "baseline": {"per_second": 1000.0},
    }
    text = automation.markdown(
        {
            "engine": "postgresql",
            "queue": "redis",
            "clinics": 50,
            "per_clinic": 200,
            "threads": 1,
            "noop_tasks": 10_000,
            "generate_seconds": 12.0,
            "runs": [run],
        }
    )
    assert text.startswith("## Automation worker on PostgreSQL\n")
    assert "| 2 | 10,000 | 50.0 | 200 | 0 | 0 | yes | 1000 | 0.200 |" in text
