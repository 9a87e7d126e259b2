"""`aescrm eval_chatbot` on a database nobody has migrated yet (a fresh checkout, a new
DATABASE_URL) stops with one line saying to run `aescrm migrate`, not a traceback about
a missing table."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def test_it_says_to_migrate_first(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DEBUG": "1",
        "AESCRM_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    env.pop("AESCRM_TESTING", None)
    env.pop("KEYVAULT_DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, str(MANAGE), "eval_chatbot"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2
    assert "database is not migrated" in run.stderr
    assert "aescrm migrate" in run.stderr
    assert "Traceback" not in run.stderr
    assert "no such table" not in run.stderr
