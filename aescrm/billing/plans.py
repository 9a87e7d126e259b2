"""The plans on sale, read from configuration (``plans.toml`` or ``AESCRM_PLANS_FILE``).

A plan is data, not code: adding one or changing a limit is a configuration
change. A malformed file stops the service at start-up with the plan and
field named, rather than failing later in front of a clinic.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_PLANS_FILE = Path(__file__).with_name("plans.toml")
# What each plan counts per billing period (aescrm.billing.usage).
METERED = ("sms_segments", "emails", "chat_conversations")
LIMITS = ("seats", *METERED)


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    monthly_price_pence: int
    seats: int
    sms_segments: int
    emails: int
    chat_conversations: int

    @property
    def stripe_price_id(self) -> str:
        """The Stripe Price this plan subscribes to (blank: not on sale through Stripe)."""
        return os.environ.get(f"STRIPE_PRICE_{self.key.upper()}", "")

    def limit(self, metric: str) -> int:
        """The limit for ``metric`` (one of LIMITS) per period; 0 is no limit."""
        if metric not in LIMITS:
            raise KeyError(f"{metric!r} is not a plan limit; limits are {', '.join(LIMITS)}")
        return int(getattr(self, metric))


@dataclass(frozen=True)
class Catalogue:
    plans: dict[str, Plan]
    trial_days: int
    default_plan: str

    def get(self, key: str) -> Plan:
        try:
            return self.plans[key]
        except KeyError:
            raise KeyError(f"no plan {key!r}; plans are {', '.join(self.plans)}") from None

    def by_price(self, price_id: str) -> Plan | None:
        return next((p for p in self.plans.values() if p.stripe_price_id == price_id), None)

    @property
    def default(self) -> Plan:
        return self.plans[self.default_plan]


def _int(source: str, where: str, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ImproperlyConfigured(f"{source}: {where} must be a whole number of 0 or more")
    return raw


def parse_catalogue(text: str, *, source: str = "plans") -> Catalogue:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"{source}: not valid TOML ({exc})") from exc
    raw_plans = data.get("plans")
    if not isinstance(raw_plans, dict) or not raw_plans:
        raise ImproperlyConfigured(f"{source}: no [plans.<key>] sections")
    plans: dict[str, Plan] = {}
    for key, raw in raw_plans.items():
        where = f"plan {key!r}"
        if not isinstance(raw, dict):
            raise ImproperlyConfigured(f"{source}: {where} must be a table")
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ImproperlyConfigured(f"{source}: {where} needs a name")
        plans[key] = Plan(
            key=key,
            name=name.strip(),
            monthly_price_pence=_int(
                source, f"{where} monthly_price_pence", raw.get("monthly_price_pence")
            ),
            **{field: _int(source, f"{where} {field}", raw.get(field)) for field in LIMITS},
        )
    default_plan = data.get("default_plan", next(iter(plans)))
    if default_plan not in plans:
        raise ImproperlyConfigured(f"{source}: default_plan {default_plan!r} is not a plan")
    trial_days = _int(source, "trial_days", data.get("trial_days", 14))
    return Catalogue(plans=plans, trial_days=trial_days, default_plan=default_plan)


@functools.cache
def _load(path: str) -> Catalogue:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"AESCRM_PLANS_FILE {path!r} cannot be read: {exc}") from exc
    return parse_catalogue(text, source=path)


def catalogue() -> Catalogue:
    return _load(str(getattr(settings, "AESCRM_PLANS_FILE", "") or DEFAULT_PLANS_FILE))
