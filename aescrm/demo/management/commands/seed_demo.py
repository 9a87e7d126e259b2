import json
from typing import Any

from django.core.management.base import BaseCommand

from aescrm.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create (or top up) the two demo clinics. Safe to run again. --json prints logins and keys."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object with clinics, users and API keys",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seeded = seed_demo()
        if options["json"]:
            payload = {
                "clinics": [
                    {
                        "id": str(s.clinic.pk),
                        "slug": s.clinic.slug,
                        "name": s.clinic.name,
                        "public_key": s.clinic.public_key,
                        "api_key": s.api_key,
                        "users": s.users,
                        "twilio_number": s.twilio_number,
                        "twilio_auth_token": s.twilio_auth_token,
                        "postmark_webhook_user": s.postmark_webhook_user,
                        "postmark_webhook_password": s.postmark_webhook_password,
                        "stripe_customer_id": s.stripe_customer_id,
                        "stripe_subscription_id": s.stripe_subscription_id,
                    }
                    for s in seeded
                ]
            }
            self.stdout.write(json.dumps(payload))
            return
        for s in seeded:
            self.stdout.write(f"{s.clinic.name} ({s.clinic.slug})")
            for user in s.users:
                self.stdout.write(f"  {user['role']:<13} {user['email']:<32} {user['password']}")
        self.stdout.write(
            "Owners and managers use two-factor authentication: the demo authenticator key is "
            "the hex key in `aescrm seed_demo --json` (totp_key_hex)."
        )
