from typing import Any

from django.core.management.base import BaseCommand

from aescrm.analytics.aggregation import aggregate, raw_days


class Command(BaseCommand):
    help = (
        "Count usage events per clinic, feature and day, then delete raw events older "
        "than ANALYTICS_RAW_DAYS. Safe to run again: it recounts, never double-counts."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = aggregate()
        self.stdout.write(
            f"Counted {result.days_counted} day(s) into {result.rows_written} daily row(s); "
            f"deleted {result.raw_deleted} raw event(s) older than {raw_days()} days."
        )
