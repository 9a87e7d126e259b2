"""A horizontal bar chart as plain SVG geometry, drawn server-side (no scripts, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass

from aescrm.reports.attribution import Report, ReportRow

LABEL_WIDTH = 220
BAR_AREA = 440
ROW_HEIGHT = 34
BAR_HEIGHT = 12
MAX_ROWS = 12


@dataclass
class Bar:
    label: str
    y: int
    revenue_width: int
    spend_width: int
    revenue: str
    spend: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    label_width: int
    bar_height: int


def _label(report: Report, row: ReportRow) -> str:
    text = " / ".join(row.key.get(n, "") for n in report.key_names)
    return text if len(text) <= 34 else text[:33] + "…"


def _money(pence: int | None) -> str:
    return "n/a" if pence is None else f"£{pence / 100:,.2f}"


def revenue_and_spend(report: Report) -> Chart | None:
    rows = [r for r in report.rows if r.revenue_pence or r.spend_pence][:MAX_ROWS]
    if not rows:
        return None
    top = max(max(r.revenue_pence, r.spend_pence or 0) for r in rows) or 1
    bars = []
    for i, row in enumerate(rows):
        bars.append(
            Bar(
                label=_label(report, row),
                y=i * ROW_HEIGHT + 8,
                revenue_width=round(BAR_AREA * row.revenue_pence / top),
                spend_width=round(BAR_AREA * (row.spend_pence or 0) / top),
                revenue=_money(row.revenue_pence),
                spend=_money(row.spend_pence),
            )
        )
    return Chart(
        width=LABEL_WIDTH + BAR_AREA + 110,
        height=len(rows) * ROW_HEIGHT + 16,
        bars=bars,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
    )
