"""Build one patient's export: ``export.json``, one CSV per category, ``summary.html``, zipped.

- JSON is the exact, machine-readable copy: one object whose keys are the
  categories (plus ``export``, describing the file); times ISO 8601 in UTC,
  money integers in pence, ids as strings.
- CSV has one line per row; nested values (a chat turn's guardrail checks,
  an appointment's overrides) are JSON text in their cell. A text cell that a
  spreadsheet would run as a formula gets a leading apostrophe.
- The summary is one self-contained HTML page (no scripts, no external
  resources) in British English, times in the clinic's time zone, escaped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from aescrm.accounts.models import Clinic
from aescrm.patients.models import Patient
from aescrm.subject_access.registry import Category, Row, categories

FORMAT_VERSION = 1
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-][\d ]+$")


def json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


def _cell(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _columns(rows: list[Row]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def to_csv(rows: list[Row]) -> bytes:
    out = io.StringIO()
    columns = _columns(rows)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    # With a byte-order mark a spreadsheet reads the UTF-8 (names with accents) correctly.
    return ("\ufeff" + out.getvalue()).encode()


def _shown(key: str, value: Any, tz: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return dateformat.format(value.astimezone(tz), "j F Y, H:i")
    if isinstance(value, str) and key.endswith("_at") and "T" in value:
        try:  # chats arrive with their times already as ISO strings
            return dateformat.format(dt.datetime.fromisoformat(value).astimezone(tz), "j F Y, H:i")
        except ValueError:
            return value
    if key.endswith("_pence") and isinstance(value, int):
        return f"£{value // 100:,}.{value % 100:02d}"
    if isinstance(value, (dict, list)):
        return json.dumps(json_value(value), ensure_ascii=False, indent=1)
    return str(json_value(value))


def _heading(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _summary(
    clinic: Clinic, patient: Patient, sections: list[tuple[Category, list[Row]]], now: dt.datetime
) -> bytes:
    tz = clinic.tz
    shown = []
    for category, rows in sections:
        columns = _columns(rows)
        shown.append(
            {
                "name": category.name,
                "title": category.title,
                "about": category.about,
                "headings": [_heading(c) for c in columns],
                "rows": [[_shown(c, row.get(c), tz) for c in columns] for row in rows],
            }
        )
    html = render_to_string(
        "subject_access/summary.html",
        {
            "clinic_name": clinic.name,
            "patient_name": patient.full_name,
            "generated": dateformat.format(now.astimezone(tz), "j F Y, H:i"),
            "tz_name": str(tz),
            "sections": shown,
        },
    )
    return html.encode()


def build_files(
    patient: Patient, *, include_access_log: bool, now: dt.datetime | None = None
) -> dict[str, bytes]:
    """Every file of the export by name. Runs in the patient's clinic scope."""
    now = now or timezone.now()
    clinic = Clinic.objects.get(pk=patient.clinic_id)
    sections = [
        (c, c.rows(patient), (c.flat_rows or c.rows)(patient))
        for c in categories(include_access_log=include_access_log)
    ]
    document: dict[str, Any] = {
        "export": {
            "format_version": FORMAT_VERSION,
            "clinic": clinic.name,
            "patient_id": str(patient.pk),
            "generated_at": json_value(now),
            "times": "ISO 8601, UTC",
            "money": "integers in pence (GBP)",
            "categories": {
                c.name: {"title": c.title, "about": c.about, "count": len(rows)}
                for c, rows, _ in sections
            },
        }
    }
    for category, rows, _ in sections:
        document[category.name] = json_value(rows)
    files = {
        "export.json": json.dumps(document, ensure_ascii=False, indent=2).encode(),
    }
    for category, _, flat in sections:
        files[f"{category.name}.csv"] = to_csv(flat)
    files["summary.html"] = _summary(clinic, patient, [(c, f) for c, _, f in sections], now)
    return files


def build_export(
    patient: Patient, *, include_access_log: bool, now: dt.datetime | None = None
) -> bytes:
    """The export as one zip file (in memory: it never touches the disk unencrypted)."""
    files = build_files(patient, include_access_log=include_access_log, now=now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
