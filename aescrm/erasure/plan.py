"""What an erasure will remove and what it must keep, shown to staff before they confirm."""

from __future__ import annotations

from dataclasses import dataclass, field

from aescrm.erasure import holds
from aescrm.erasure.rules import CATEGORY_LABELS, PROFILE, all_rules
from aescrm.erasure.suppression import patient_hashes
from aescrm.patients.models import Patient

TOMBSTONE_WHY = (
    "The patient record stays as an empty placeholder (no name, contact details, notes or "
    "consents) only so the kept records above have something to belong to. It cannot be found "
    "by any search or list."
)


@dataclass
class PlanLine:
    category: str
    label: str
    count: int
    why: str = ""


@dataclass
class ErasurePlan:
    patient_id: str
    held: str | None
    removed: list[PlanLine] = field(default_factory=list)
    kept: list[PlanLine] = field(default_factory=list)
    # Which of the person's addresses go on the suppression list ("email", "phone").
    suppressed: list[str] = field(default_factory=list)

    @property
    def tombstone(self) -> bool:
        return any(line.category != PROFILE.code for line in self.kept)

    @property
    def blocked(self) -> bool:
        return self.held is not None

    def removed_counts(self) -> dict[str, int]:
        return {line.category: line.count for line in self.removed}

    def kept_counts(self) -> dict[str, int]:
        return {line.category: line.count for line in self.kept}

    def as_dict(self) -> dict[str, object]:
        return {
            "patient": self.patient_id,
            "held": self.held,
            "can_erase": not self.blocked,
            "removed": [vars(line) for line in self.removed],
            "kept": [vars(line) for line in self.kept],
            "suppressed": self.suppressed,
            "tombstone": self.tombstone,
        }


def _add(lines: list[PlanLine], category: str, label: str, count: int, why: str = "") -> None:
    for line in lines:
        if line.category == category:
            line.count += count
            if why and why not in line.why:
                line.why = f"{line.why} {why}".strip()
            return
    lines.append(PlanLine(category, label, count, why))


def _kept_why() -> dict[str, str]:
    """Why a category's rows stay, for pages that show an erasure after the fact."""
    why = {rule.category.code: rule.why for rule in all_rules() if rule.keep is not None}
    return {**why, PROFILE.code: TOMBSTONE_WHY}


def done_lines(
    counts: dict[str, int], planned: list[PlanLine], *, kept: bool = False
) -> list[dict[str, object]]:
    """An erasure's counts per category as plan lines (labels and reasons from the plan)."""
    known = {line.category: line for line in planned}
    kept_why = _kept_why() if kept else {}
    out = []
    for category, count in counts.items():
        line = known.get(category)
        out.append(
            {
                "category": category,
                "label": line.label if line else CATEGORY_LABELS.get(category, category),
                "count": count,
                "why": line.why if line else kept_why.get(category, ""),
            }
        )
    return out


def plan_erasure(patient: Patient) -> ErasurePlan:
    """Count, per category, what goes and what stays (and why). Changes nothing."""
    plan = ErasurePlan(patient_id=str(patient.pk), held=holds.held(patient))
    for rule in all_rules():
        if rule.category is PROFILE:
            continue
        rows = rule.rows(patient)
        kept = rule.keep(patient).count() if rule.keep else 0
        gone = rows.count() - kept
        if gone:
            _add(plan.removed, rule.category.code, rule.category.label, gone)
        if kept:
            _add(plan.kept, rule.category.code, rule.category.label, kept, rule.why)
        elif gone and rule.why:
            # A removal with a caveat (e.g. what ad platforms already hold).
            _add(plan.removed, rule.category.code, rule.category.label, 0, rule.why)
    if plan.kept:
        _add(plan.kept, PROFILE.code, "The patient record, emptied", 1, TOMBSTONE_WHY)
    else:
        _add(plan.removed, PROFILE.code, PROFILE.label, 1)
    plan.suppressed = sorted(patient_hashes(patient))
    return plan
