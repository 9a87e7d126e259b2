"""`aescrm run_automations`: a silly interval is refused; with nothing due it says so."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command


def test_a_silly_interval_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="--interval must be between"):
        call_command("run_automations", "--loop", "--interval", "0")


def test_with_nothing_due_it_takes_nothing(db: None) -> None:
    out = io.StringIO()
    call_command("run_automations", stdout=out)
    assert out.getvalue() == "took 0 due automation runs, handled 0 due messages\n"
