from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aescrm.audit.chain import seal_pending, verify_chains


class Command(BaseCommand):
    help = (
        "Seal pending audit entries, then verify every hash chain; "
        "exits non-zero naming the first bad entry."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-seal", action="store_true", help="verify only what is already sealed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = 0 if options["no_seal"] else seal_pending()
        checked, problems = verify_chains()
        if problems:
            for problem in problems:
                self.stderr.write(f"TAMPERED {problem}")
            raise CommandError(f"audit log verification failed: {problems[0]}")
        self.stdout.write(f"audit log intact: {checked} entries verified ({sealed} newly sealed)")
