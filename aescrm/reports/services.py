"""Writing ad spend: one import is one transaction, and a day's campaign is replaced, not added."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.reports.models import AdSpend, AdSpendImport
from aescrm.reports.spend_csv import RowProblem, SpendImportRefused, SpendRow


@dataclass(frozen=True)
class ImportResult:
    batch: AdSpendImport
    rows: int
    replaced: int
    total_pence: int


def ad_spend_import(
    *,
    caller: Caller,
    rows: Iterable[SpendRow],
    source_format: str,
    filename: str = "",
) -> ImportResult:
    """Store spend rows all or nothing.

    Rows of one import with the same day, source and campaign are added up (an
    export broken down by ad set or ad has several); a row already stored for
    that day, source and campaign, from an earlier import, is replaced.
    """
    caller.require(Perm.AD_SPEND_EDIT)
    merged: dict[tuple[dt.date, str, str], SpendRow] = {}
    for row in rows:
        key = (row.date, row.source, row.campaign)
        if key in merged:
            kept = merged[key]
            kept.spend_pence += row.spend_pence
            kept.medium = kept.medium or row.medium
        else:
            merged[key] = SpendRow(
                date=row.date,
                source=row.source,
                medium=row.medium,
                campaign=row.campaign,
                spend_pence=row.spend_pence,
                row=row.row,
            )
    if not merged:
        raise SpendImportRefused([RowProblem(0, "", "there are no spend rows to import")])
    days = [key[0] for key in merged]
    with transaction.atomic():
        existing = set(
            AdSpend.objects.filter(date__gte=min(days), date__lte=max(days))
            .filter(source__in={k[1] for k in merged}, campaign__in={k[2] for k in merged})
            .values_list("date", "source", "campaign")
        )
        replaced = sum(1 for key in merged if key in existing)
        total = sum(r.spend_pence for r in merged.values())
        batch = AdSpendImport.objects.create(
            source_format=source_format,
            filename=filename[:255],
            imported_by_id=caller.user_id,
            api_key_id=caller.api_key_id,
            row_count=len(merged),
            replaced_count=replaced,
            total_pence=total,
            first_date=min(days),
            last_date=max(days),
        )
        AdSpend.objects.bulk_create(
            [
                AdSpend(
                    id=uuid.uuid4(),
                    date=r.date,
                    source=r.source,
                    medium=r.medium,
                    campaign=r.campaign,
                    spend_pence=r.spend_pence,
                    currency="GBP",
                    imported_by_id=caller.user_id,
                    batch=batch,
                )
                for r in merged.values()
            ],
            update_conflicts=True,
            unique_fields=["clinic", "date", "source", "campaign"],
            update_fields=["medium", "spend_pence", "imported_by", "batch", "updated_at"],
            batch_size=1000,
        )
        audit_record(
            "ad_spend.import",
            object_type="ad_spend_import",
            object_id=batch.pk,
            detail={
                "format": source_format,
                "rows": len(merged),
                "replaced": replaced,
                "first_date": min(days).isoformat(),
                "last_date": max(days).isoformat(),
            },
        )
    return ImportResult(batch=batch, rows=len(merged), replaced=replaced, total_pence=total)
