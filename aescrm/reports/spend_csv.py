"""Reading ad spend from the CSV files the ad platforms export.

Three layouts are recognised by their header row:

- Google Ads campaign report (Reports → download CSV): ``Day``, ``Campaign``,
  ``Cost`` and, if chosen, ``Currency code``. Google writes a title line
  ("Campaign report") and a date-range line before the header, and
  ``Total: …`` rows at the end; costs may carry thousands separators. Files
  saved "for Excel" are UTF-16 and tab-separated: both are read.
- Meta Ads Manager export: ``Campaign name``, ``Amount spent (GBP)`` and
  ``Reporting starts`` / ``Reporting ends`` (with the *Day* breakdown both are
  the same day, or a ``Day`` column is present).
- Plain: ``date,source,campaign,spend`` (optional ``medium`` and
  ``currency``), spend in pounds such as ``12.50``.

Platform exports carry many metric columns (impressions, clicks, reach …):
those are ignored. The plain layout has no such columns, so an unknown column
there is refused, naming it. Every problem names the file's line number (as a
spreadsheet shows it) and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from aescrm.core.problems import ValidationFailed
from aescrm.reports.models import SpendFormat

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_ERRORS_SHOWN = 20
TEXT_MAX = 255
# Title and date-range lines Google writes above the header; a header further
# down than this is not a file we know.
HEADER_SEARCH_LINES = 10

DEFAULT_SOURCE: dict[str, str] = {
    SpendFormat.GOOGLE_ADS.value: "google",
    SpendFormat.META_ADS.value: "facebook",
}
DEFAULT_MEDIUM: dict[str, str] = {
    SpendFormat.GOOGLE_ADS.value: "cpc",
    SpendFormat.META_ADS.value: "paid_social",
}

PLAIN_COLUMNS = {"date", "source", "medium", "campaign", "spend", "currency"}
_AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
EARLIEST_DAY = dt.date(2000, 1, 1)
META_SPEND = re.compile(r"^amount spent(?: \((?P<currency>[a-z]{3})\))?$")


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class SpendImportRefused(ValidationFailed):
    """The file or rows could not be read; nothing was imported."""

    def __init__(self, problems: list[RowProblem], *, field: str = "file") -> None:
        self.problems = problems
        shown = problems[:MAX_ERRORS_SHOWN]
        more = len(problems) - len(shown)
        detail = str(problems[0]) + (
            f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
            if len(problems) > 1
            else ""
        )
        super().__init__(
            detail,
            field=field,
            problems=[{"row": p.row, "column": p.column, "message": p.message} for p in shown],
            **({"more_problems": more} if more else {}),
        )


@dataclass
class SpendRow:
    date: dt.date
    source: str
    medium: str
    campaign: str
    spend_pence: int
    row: int = 0


@dataclass
class ParsedSpend:
    source_format: str
    rows: list[SpendRow] = field(default_factory=list)
    skipped_total_rows: int = 0


def _norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise SpendImportRefused(
            [RowProblem(0, "", f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SpendImportRefused([RowProblem(0, "", "the file is not valid UTF-16")]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in Windows-1252: the £ sign is the usual give-away.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SpendImportRefused(
            [RowProblem(0, "", "the file is not text (save it as CSV, UTF-8)")]
        ) from exc


def _parse_date(value: str, row: int, column: str, problems: list[RowProblem]) -> dt.date | None:
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y"):
        try:
            day = dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
        return _plausible_day(day, row, column, problems)
    problems.append(
        RowProblem(row, column, f"{text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    )
    return None


def implausible_day(day: dt.date) -> str:
    """Why no spend can be dated ``day`` ("" when it can): a typo such as …/2099 or …/0026."""
    # A day of slack: "today" is the clinic's, which may be ahead of UTC.
    if day > timezone.now().date() + dt.timedelta(days=1):
        return f"{day.isoformat()} is in the future"
    if day < EARLIEST_DAY:
        return f"{day.isoformat()} is before 2000"
    return ""


def _plausible_day(
    day: dt.date, row: int, column: str, problems: list[RowProblem]
) -> dt.date | None:
    problem = implausible_day(day)
    if problem:
        problems.append(RowProblem(row, column, problem))
        return None
    return day


def _parse_pounds(
    value: str, row: int, column: str, problems: list[RowProblem], *, blank_is_zero: bool
) -> int | None:
    text = value.strip().replace("£", "").replace(" ", "").replace("\xa0", "")
    if text in ("", "--") and blank_is_zero:
        return 0
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    # Digits with an optional decimal point only: Decimal alone would also take
    # "1_000", "1e3" and "NaN", which no spreadsheet means as an amount.
    amount = Decimal(text) if _AMOUNT.fullmatch(text) else None
    if amount is None:
        problems.append(RowProblem(row, column, f"{value.strip()!r} is not an amount in pounds"))
        return None
    if amount < 0:
        problems.append(RowProblem(row, column, f"{value.strip()!r} is negative"))
        return None
    pence = int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if pence > 10**11:
        problems.append(RowProblem(row, column, f"{value.strip()!r} is implausibly large"))
        return None
    return pence


def _text(value: str, row: int, column: str, problems: list[RowProblem]) -> str:
    text = value.strip()
    if not text:
        problems.append(RowProblem(row, column, "is empty"))
    elif len(text) > TEXT_MAX:
        problems.append(RowProblem(row, column, f"is longer than {TEXT_MAX} characters"))
    elif "\x00" in text:
        problems.append(RowProblem(row, column, "contains a NUL character"))
    return text


def _currency(value: str, row: int, column: str, problems: list[RowProblem]) -> None:
    code = value.strip().upper()
    if code and code != "GBP":
        problems.append(
            RowProblem(
                row, column, f"currency {code} is not accepted: spend is imported in GBP only"
            )
        )


def _layout(header: list[str]) -> str | None:
    names = {_norm(h) for h in header}
    if {"day", "campaign", "cost"} <= names:
        return SpendFormat.GOOGLE_ADS
    if "campaign name" in names and any(META_SPEND.match(n) for n in names):
        return SpendFormat.META_ADS
    if {"date", "source", "campaign", "spend"} <= names:
        return SpendFormat.PLAIN
    return None


def parse_spend_csv(data: bytes, *, source: str = "", medium: str | None = None) -> ParsedSpend:
    """Every row of the file, or SpendImportRefused listing each bad cell."""
    text = _decode(data)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_row = 0
    layout: str | None = None
    seen: list[list[str]] = []
    for cells in reader:
        if any(c.strip() for c in cells):
            seen.append(cells)
            layout = _layout(cells)
            if layout:
                header, header_row = cells, reader.line_num
                break
        if reader.line_num >= HEADER_SEARCH_LINES:
            break
    if header is None or layout is None:
        found = ", ".join(repr(c.strip()) for c in (seen[0] if seen else []) if c.strip())
        raise SpendImportRefused(
            [
                RowProblem(
                    1,
                    "",
                    "no header row found: expected a Google Ads campaign report (Day, Campaign, "
                    "Cost), a Meta Ads Manager export (Campaign name, Amount spent (GBP), "
                    "Reporting starts, Reporting ends) or date,source,campaign,spend"
                    + (f"; the first row has {found}" if found else ""),
                )
            ]
        )
    columns = {_norm(h): i for i, h in enumerate(header)}
    problems: list[RowProblem] = []
    parsed = ParsedSpend(source_format=layout)
    row_source = (source or DEFAULT_SOURCE.get(layout, "")).strip()
    row_medium = (medium if medium is not None else DEFAULT_MEDIUM.get(layout, "")).strip()

    if layout == SpendFormat.PLAIN:
        for name in header:
            if _norm(name) not in PLAIN_COLUMNS and name.strip():
                problems.append(
                    RowProblem(
                        header_row,
                        name.strip(),
                        "unknown column (the plain layout has date, source, medium, campaign, "
                        "spend, currency)",
                    )
                )
    spend_column = "cost"
    if layout == SpendFormat.META_ADS:
        spend_column = next(n for n in columns if META_SPEND.match(n))
        match = META_SPEND.match(spend_column)
        code = (match.group("currency") if match else None) or ""
        if code and code.upper() != "GBP":
            problems.append(
                RowProblem(
                    header_row,
                    header[columns[spend_column]].strip(),
                    f"currency {code.upper()} is not accepted: spend is imported in GBP only",
                )
            )
    if problems:
        raise SpendImportRefused(problems)

    def cell(cells: list[str], name: str) -> str:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    def label(name: str) -> str:
        return header[columns[name]].strip()

    for cells in reader:
        row = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(parsed.rows) >= MAX_ROWS:
            raise SpendImportRefused(
                [RowProblem(row, "", f"the file has more than {MAX_ROWS:,} rows; split it")]
            )
        if layout == SpendFormat.GOOGLE_ADS and _is_google_total(cells[0], cell(cells, "day")):
            parsed.skipped_total_rows += 1
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(
                RowProblem(
                    row,
                    "",
                    f"has {len(cells)} cells but the header has {len(header)} "
                    "(an amount with a comma needs quotes)",
                )
            )
            continue
        day: dt.date | None
        if layout == SpendFormat.GOOGLE_ADS:
            day = _parse_date(cell(cells, "day"), row, label("day"), problems)
            campaign = _text(cell(cells, "campaign"), row, label("campaign"), problems)
            pence = _parse_pounds(
                cell(cells, "cost"), row, label("cost"), problems, blank_is_zero=True
            )
            for name in ("currency code", "currency"):
                if name in columns:
                    _currency(cell(cells, name), row, label(name), problems)
            src, med = row_source, row_medium
        elif layout == SpendFormat.META_ADS:
            day = _meta_day(cells, columns, header, row, problems)
            campaign = _text(cell(cells, "campaign name"), row, label("campaign name"), problems)
            pence = _parse_pounds(
                cell(cells, spend_column), row, label(spend_column), problems, blank_is_zero=True
            )
            if "currency" in columns:
                _currency(cell(cells, "currency"), row, label("currency"), problems)
            src, med = row_source, row_medium
        else:
            day = _parse_date(cell(cells, "date"), row, label("date"), problems)
            campaign = _text(cell(cells, "campaign"), row, label("campaign"), problems)
            pence = _parse_pounds(
                cell(cells, "spend"), row, label("spend"), problems, blank_is_zero=False
            )
            src = _text(cell(cells, "source"), row, label("source"), problems)
            med = cell(cells, "medium").strip() if "medium" in columns else row_medium
            if len(med) > TEXT_MAX:
                problems.append(
                    RowProblem(row, label("medium"), f"is longer than {TEXT_MAX} characters")
                )
            if "currency" in columns:
                _currency(cell(cells, "currency"), row, label("currency"), problems)
        if day is None or pence is None or not campaign or not src:
            continue
        parsed.rows.append(
            SpendRow(
                date=day, source=src, medium=med, campaign=campaign, spend_pence=pence, row=row
            )
        )
    if not row_source and layout != SpendFormat.PLAIN:
        problems.insert(0, RowProblem(0, "source", "say which source the spend is for"))
    if problems:
        raise SpendImportRefused(problems)
    if not parsed.rows:
        raise SpendImportRefused([RowProblem(header_row, "", "the file has no spend rows")])
    return parsed


def _is_google_total(first: str, day: str) -> bool:
    """Google's "Total: Account", "Total: Campaigns" … rows: a "total" label and no day.

    A campaign may itself be called "Total Smile Makeover"; its row has a day.
    """
    if not first.strip().lower().startswith("total"):
        return False
    return _parse_date(day, 0, "", []) is None


def _meta_day(
    cells: list[str],
    columns: dict[str, int],
    header: list[str],
    row: int,
    problems: list[RowProblem],
) -> dt.date | None:
    def get(name: str) -> str:
        index = columns[name]
        return cells[index] if index < len(cells) else ""

    if "day" in columns:
        return _parse_date(get("day"), row, header[columns["day"]].strip(), problems)
    if "reporting starts" not in columns or "reporting ends" not in columns:
        problems.append(
            RowProblem(row, "Reporting starts", "the export needs Reporting starts and ends")
        )
        return None
    before = len(problems)
    start = _parse_date(
        get("reporting starts"), row, header[columns["reporting starts"]].strip(), problems
    )
    end = _parse_date(
        get("reporting ends"), row, header[columns["reporting ends"]].strip(), problems
    )
    if len(problems) > before or start is None or end is None:
        return None
    if start != end:
        problems.append(
            RowProblem(
                row,
                header[columns["reporting ends"]].strip(),
                f"the row covers {start:%d/%m/%Y} to {end:%d/%m/%Y}; export with the Day "
                "breakdown so each row is one day",
            )
        )
        return None
    return start
