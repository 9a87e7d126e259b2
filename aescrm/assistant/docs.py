"""The clinic's knowledge as the engines see it: FAQs and policies, and the catalogue's treatments.

Prices always come from the catalogue row, never from edited text, so an
answer quotes what the clinic charges today.
"""

from __future__ import annotations

from aescrm.assistant.engines.base import KnowledgeDoc
from aescrm.assistant.models import KnowledgeItem, KnowledgeKind
from aescrm.assistant.wording import price
from aescrm.patients.models import Treatment


def treatment_answer(treatment: Treatment) -> str:
    text = (
        f"{treatment.name} costs {price(treatment.price_pence)} and takes about "
        f"{treatment.duration_minutes} minutes."
    )
    if treatment.prescription_medicine:
        text += (
            " It is a prescription-only medicine, so it starts with a consultation with one"
            " of our prescribers."
        )
    return text


def clinic_docs() -> list[KnowledgeDoc]:
    """Every active item of the current clinic, and every active treatment (once)."""
    treatments = {t.pk: t for t in Treatment.objects.filter(active=True)}
    docs: list[KnowledgeDoc] = []
    covered = set()
    for item in KnowledgeItem.objects.filter(active=True).order_by("kind", "title", "id"):
        treatment = treatments.get(item.treatment_id) if item.treatment_id else None
        if item.treatment_id and treatment is None:
            continue  # its treatment is no longer offered
        if treatment is not None:
            covered.add(treatment.pk)
            docs.append(_treatment_doc(treatment, item))
        else:
            docs.append(
                KnowledgeDoc(
                    id=str(item.pk),
                    kind=item.kind,
                    title=item.title,
                    answer=item.answer,
                    keywords=item.keywords,
                )
            )
    for treatment in sorted(treatments.values(), key=lambda t: t.name):
        if treatment.pk not in covered:
            docs.append(_treatment_doc(treatment, None))
    return docs


def _treatment_doc(treatment: Treatment, item: KnowledgeItem | None) -> KnowledgeDoc:
    return KnowledgeDoc(
        id=str(item.pk) if item else f"treatment:{treatment.pk}",
        kind=KnowledgeKind.TREATMENT,
        title=treatment.name,
        answer=(item.answer if item and item.answer else treatment_answer(treatment)),
        keywords=item.keywords if item else "",
        treatment_id=str(treatment.pk),
        category=treatment.category,
        price_pence=treatment.price_pence,
        duration_minutes=treatment.duration_minutes,
        prescription_medicine=treatment.prescription_medicine,
    )
