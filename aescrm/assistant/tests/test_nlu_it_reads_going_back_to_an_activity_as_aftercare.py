""" "When can I go back to the gym after cheek filler" is an aftercare question (the clinic's
aftercare sheet answers it), not a wish to book a time."""

from __future__ import annotations

import pytest

from aescrm.assistant.nlu import classify


@pytest.mark.parametrize(
    "text",
    [
        "when can i go back to the gym after cheek filler",
        "how soon can i get back to running after lip filler",
        "when can i return to work after my peel",
        "how long before i can go swimming after filler",
        "can i go to the gym after filler",
    ],
)
def test_going_back_to_an_activity_after_treatment_is_aftercare(text: str) -> None:
    assert classify(text).intent == "treatment_info"


@pytest.mark.parametrize(
    "text",
    ["when can i come in for lip filler", "when can i book after work on thursday"],
)
def test_when_can_i_come_in_is_still_booking(text: str) -> None:
    assert classify(text).intent == "booking"
