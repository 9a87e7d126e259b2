"""`aescrm eval_chatbot` builds its clinic, talks and books through the real
pipeline, and rolls all of it back: the database is as it was."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from aescrm.accounts.models import Clinic
from aescrm.assistant.evaluation.suite import DEFAULT_PATH
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import unscoped

pytestmark = pytest.mark.django_db


def test_it_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "suite.yaml").write_text((DEFAULT_PATH / "suite.yaml").read_text())
    (tmp_path / "cases.yaml").write_text(
        """
cases:
  - id: price
    category: intent
    say: "how much is lip filler?"
    expect: {intent: pricing, mentions: ["£250"]}
  - id: person
    category: handoff
    say: "can I speak to a real person"
"""
    )
    with unscoped("test: count every clinic's rows"):
        before = (Clinic.objects.count(), AuditEntry.objects.count())
    out = io.StringIO()
    call_command("eval_chatbot", str(tmp_path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["totals"] == {"passed": 2, "total": 2}
    assert [c["turns"][0]["say"] for c in report["cases"]] == [
        "how much is lip filler?",
        "can I speak to a real person",
    ]
    with unscoped("test: count every clinic's rows"):
        assert (Clinic.objects.count(), AuditEntry.objects.count()) == before
