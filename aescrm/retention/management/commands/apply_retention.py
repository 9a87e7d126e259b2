from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aescrm.accounts.models import Clinic
from aescrm.core.tenancy import unscoped
from aescrm.retention.engine import ClinicReport, apply_retention


def report_lines(report: ClinicReport) -> list[str]:
    """What a run did (or would do) for one clinic, one line per category."""
    verb = "would remove" if report.dry_run else "removed"
    lines = [
        f"{report.name} ({report.slug})"
        + (" — under a clinic legal hold" if report.clinic_held else "")
    ]
    for r in report.results:
        line = f"  {r.label}: {verb} {r.removed} — {r.why}"
        if r.held:
            line += f"; {r.held} kept under a legal hold"
        lines.append(line)
    return lines


class Command(BaseCommand):
    help = (
        "Apply the retention policies to every clinic (or one): delete what is past its "
        "period, except what a legal hold keeps. --dry-run only reports."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="report only; change nothing")
        parser.add_argument("--clinic", metavar="SLUG", help="only this clinic")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["clinic"]
        if slug is not None:
            with unscoped("apply_retention: check the clinic slug"):
                if not Clinic.objects.filter(slug=slug).exists():
                    raise CommandError(f"--clinic: no clinic has the slug {slug!r}")
        dry_run = bool(options["dry_run"])
        reports = apply_retention(dry_run=dry_run, clinic_slug=slug)
        self.stdout.write(
            "Retention dry run: nothing was deleted." if dry_run else "Retention run."
        )
        for report in reports:
            for line in report_lines(report):
                self.stdout.write(line)
