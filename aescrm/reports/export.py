"""The attribution report as CSV: amounts in pounds (GBP), speed-to-lead in minutes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from aescrm.reports.attribution import Report, ReportRow

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); campaign names come from visitors' URLs, so they are not trusted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

LABELS = {"source": "Source", "medium": "Medium", "campaign": "Campaign", "keyword": "Keyword"}
MODEL_LABELS = {"first_touch": "First touch", "last_touch": "Last touch"}
GROUP_LABELS = {"source": "Source / medium", "campaign": "Campaign", "keyword": "Keyword"}


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def pounds(pence: int | None) -> str:
    return "" if pence is None else f"{pence / 100:.2f}"


def minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 60:.1f}"


def header(report: Report) -> list[str]:
    return [
        *(LABELS[n] for n in report.key_names),
        "Leads",
        "Booked",
        "Attended",
        "Revenue (GBP)",
        "Spend (GBP)",
        "Cost per lead (GBP)",
        "Cost per booking (GBP)",
        "ROAS",
        "Median speed to lead (minutes)",
    ]


def _values(report: Report, row: ReportRow, *, total: bool = False) -> list[str]:
    keys = [row.key.get(n, "") for n in report.key_names]
    if total:
        keys = ["Total", *([""] * (len(report.key_names) - 1))]
    spend = row.spend_pence
    na = report.group_by == "keyword" and not total
    return [
        *(_cell(k) for k in keys),
        str(row.leads),
        str(row.booked),
        str(row.attended),
        pounds(row.revenue_pence),
        "n/a" if na else pounds(spend),
        "n/a" if na else pounds(row.cost_per_lead_pence),
        "n/a" if na else pounds(row.cost_per_booking_pence),
        "n/a" if na else ("" if row.roas is None else f"{row.roas:.2f}"),
        minutes(row.median_speed_to_lead_seconds),
    ]


def report_csv_lines(report: Report) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield line(header(report))
    for row in report.rows:
        yield line(_values(report, row))
    yield line(_values(report, report.totals, total=True))


def report_filename(report: Report, slug: str) -> str:
    return (
        f"attribution-{slug}-{report.group_by}-{report.model}-"
        f"{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.csv"
    )
