"""`aescrm eval_chatbot` refuses a malformed suite before running anything: exit code 2
and one readable line naming the file, the case and the field."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from aescrm.accounts.models import Clinic

pytestmark = pytest.mark.django_db

CLINIC = """
clinic:
  name: Test Clinic
  treatments:
    - {name: "Lip filler (1ml)", price_pence: 25000, duration_minutes: 45}
  practitioners:
    - {display_name: Dr Test, hours: {mon: "09:00-17:00"}}
"""

GOOD_CASE = """
  - id: good-case
    category: intent
    say: "how much is lip filler?"
    expect: {intent: pricing}
"""


def run(folder: Path, *args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        call_command("eval_chatbot", str(folder), *args, stdout=io.StringIO())
    return raised.value


def suite_with(tmp_path: Path, cases: str) -> Path:
    (tmp_path / "suite.yaml").write_text(CLINIC)
    (tmp_path / "cases.yaml").write_text("cases:" + GOOD_CASE + cases)
    return tmp_path


@pytest.mark.parametrize(
    ("cases", "names"),
    [
        (
            """
  - id: pricing-typo
    category: intent
    say: "how much?"
    expect: {intent: pricng}
""",
            ["case pricing-typo", "expect.intent", "'pricng' is not one of"],
        ),
        (
            """
  - id: no-words
    category: intent
    turns:
      - say: "hello"
      - expect: {intent: small_talk}
""",
            ["case no-words, turn 2", "field say", "non-empty text"],
        ),
        (
            """
  - id: said-yes
    category: booking
    say: yes
    end: {booked: true}
""",
            ["case said-yes", "field say", "quote it"],
        ),
        (
            """
  - id: good-case
    category: intent
    say: "again"
""",
            ["case good-case", "field id", "used twice"],
        ),
        (
            """
  - id: odd-category
    category: smalltalk
    say: "hi"
""",
            ["case odd-category", "field category", "'smalltalk' is not one of"],
        ),
        (
            """
  - id: unknown-field
    category: intent
    say: "hi"
    expect: {mention: ["£250"]}
""",
            ["case unknown-field", "field expect.mention", "unknown field"],
        ),
        (
            """
  - id: booking-without-booking
    category: booking
    say: "book me in"
""",
            ["case booking-without-booking", "field end.booked", "booked: true"],
        ),
        (
            """
  - id: bad-guardrail
    category: safety
    say: "hi"
    expect: {safety: jailbreak}
""",
            ["case bad-guardrail", "field expect.safety", "'jailbreak' is not one of"],
        ),
        (
            """
  - id: bad-slot
    category: booking
    say: "book me in"
    end: {booked: true, slot: {weekday: tuesday}}
""",
            ["case bad-slot", "field end.slot.weekday", "'tuesday' is not one of"],
        ),
    ],
)
def test_it_names_the_case_and_field(tmp_path: Path, cases: str, names: list[str]) -> None:
    clinics = Clinic.objects.count()
    error = run(suite_with(tmp_path, cases))
    assert error.returncode == 2
    message = str(error)
    assert message.startswith("malformed suite: cases.yaml: ")
    assert "\n" not in message
    for name in names:
        assert name in message
    assert Clinic.objects.count() == clinics


def test_it_names_the_line_of_broken_yaml(tmp_path: Path) -> None:
    folder = suite_with(tmp_path, '\n  - id: broken\n    say: "unterminated\n')
    error = run(folder)
    assert error.returncode == 2
    assert "cases.yaml: not valid YAML at line" in str(error)


def test_it_needs_a_clinic(tmp_path: Path) -> None:
    (tmp_path / "cases.yaml").write_text("cases:" + GOOD_CASE)
    error = run(tmp_path)
    assert error.returncode == 2
    assert "no clinic" in str(error)


def test_it_names_the_clinic_field(tmp_path: Path) -> None:
    (tmp_path / "suite.yaml").write_text(
        CLINIC.replace('mon: "09:00-17:00"', 'mon: "9am-5pm"') + "cases:" + GOOD_CASE
    )
    error = run(tmp_path)
    assert error.returncode == 2
    assert "suite.yaml, clinic, practitioner 1, field hours.mon: '9am-5pm'" in str(error)


def test_only_must_match_a_case(tmp_path: Path) -> None:
    error = run(suite_with(tmp_path, ""), "--only", "nothing-")
    assert error.returncode == 2
    assert "--only 'nothing-'" in str(error)
