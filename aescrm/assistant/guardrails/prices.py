"""Price grounding: every money figure in a reply must come from the clinic's own facts.

Allowed are the prices (in pence) the engine's tools returned and any figure written in the
knowledge items the answer used. A sentence naming any other figure is replaced, so a
made-up or out-of-date price never reaches the visitor.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from aescrm.assistant.guardrails.text import sentences

NO_PRICE = "I don't have a confirmed price for that — the team will be happy to tell you."

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_MONEY = re.compile(
    rf"(?:£|gbp\s?)\s?(?P<a>{_AMOUNT})\s?(?P<ak>k\b|thousand\b)?"
    rf"(?:\s?(?:-|–|—|to)\s?(?:£|gbp\s?)?\s?(?P<b>{_AMOUNT})\s?(?P<bk>k\b|thousand\b)?)?"
    rf"|(?<![\w.,£])(?P<c>{_AMOUNT})\s?(?P<ck>k\s)?(?:pounds?|quid|gbp)\b",
    re.IGNORECASE,
)


def _pence(amount: str, thousands: str | None) -> int | None:
    try:
        value = Decimal(amount.replace(",", ""))
    except InvalidOperation:
        return None
    if thousands:
        value *= 1000
    return int(value * 100)


def money_figures(text: str) -> list[int]:
    """Every money figure in ``text``, in pence ("£1,200" -> 120000, "£2.5k" -> 250000)."""
    figures: list[int] = []
    for found in _MONEY.finditer(text):
        for amount, thousands in (("a", "ak"), ("b", "bk"), ("c", "ck")):
            raw = found.group(amount)
            if raw is None:
                continue
            # "£2-3k": the k of the upper bound applies to the lower one too.
            k = found.group(thousands) or (found.group("bk") if amount == "a" else None)
            value = _pence(raw, k)
            if value is not None:
                figures.append(value)
    return figures


def ground_prices(
    text: str, allowed_prices: set[int], grounding_text: str
) -> tuple[str, list[int]]:
    """The text with ungrounded figures' sentences replaced, and the figures it removed."""
    allowed = set(allowed_prices) | set(money_figures(grounding_text))
    removed: list[int] = []
    pieces = []
    replaced_last = False
    for piece in sentences(text):
        unknown = [p for p in money_figures(piece) if p not in allowed]
        if not unknown:
            pieces.append(piece)
            if piece.strip():
                replaced_last = False
            continue
        removed.extend(unknown)
        if not replaced_last:  # one apology for a run of ungrounded sentences
            prefix = piece[: len(piece) - len(piece.lstrip())]
            bullet = re.match(r"\s*(?:[-*•]|\d+[.)])\s+", piece)
            pieces.append((bullet.group(0) if bullet else prefix) + NO_PRICE)
        elif pieces and not pieces[-1].strip():
            pieces.pop()
        replaced_last = True
    return "".join(pieces), removed
