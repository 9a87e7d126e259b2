from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Scope
from aescrm.accounts.services import api_key_create
from aescrm.core.problems import DomainError


class Command(BaseCommand):
    help = "Create an API key for a clinic; prints the key (shown only once) on the last line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clinic", required=True, metavar="SLUG")
        parser.add_argument(
            "--scopes",
            nargs="+",
            required=True,
            metavar="SCOPE",
            help=f"one or more of: {', '.join(s.value for s in Scope)}, or 'all'",
        )
        parser.add_argument("--name", default="Command-line key")
        parser.add_argument(
            "--rate-limit", type=int, default=None, help="requests a minute (default from settings)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = Clinic.objects.filter(slug=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"no clinic with slug {options['clinic']!r}")
        scopes = [s for item in options["scopes"] for s in item.split(",") if s]
        if scopes == ["all"]:
            scopes = [s.value for s in Scope]
        try:
            _, secret = api_key_create(
                clinic=clinic, name=options["name"], scopes=scopes, rate_limit=options["rate_limit"]
            )
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        self.stderr.write(
            f"API key for {clinic.slug} with scopes {', '.join(sorted(scopes))} (shown once):"
        )
        self.stdout.write(secret)
