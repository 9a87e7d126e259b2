"""What the platform console shows: account data only — clinics, plans, subscriptions,
members and usage counts. Nothing here reads a patient table (docs/decisions/0034)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from aescrm.accounts.models import Clinic, Membership
from aescrm.analytics.features import ADOPTION, FEATURES
from aescrm.analytics.models import FeatureDaily, FeatureEvent
from aescrm.billing.models import Status, Subscription
from aescrm.billing.plans import Plan, catalogue
from aescrm.billing.state import AccountState, Mode, state_of
from aescrm.billing.usage import UsageLine, usage_for
from aescrm.console.activity import uses_since
from aescrm.core.problems import NotFound
from aescrm.core.tenancy import clinic_scope
from aescrm.platform_privacy.models import SupportGrant

WINDOW_DAYS = 30
COHORT_MONTHS = 6
NOT_BILLED = "not_billed"
NOT_BILLED_LABEL = "Not billed through Stripe"


def _today(now: dt.datetime) -> dt.date:
    return now.astimezone(dt.UTC).date()


def window_start(now: dt.datetime) -> dt.date:
    return _today(now) - dt.timedelta(days=WINDOW_DAYS)


def _signed_in_since(since: dt.date) -> set[uuid.UUID]:
    """Clinics a member signed in to since ``since`` (Django's own last_login, kept
    whether or not the member opted out of analytics)."""
    start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    return set(
        Membership.objects.filter(user__last_login__gte=start).values_list("clinic_id", flat=True)
    )


def active_clinic_ids(now: dt.datetime) -> set[uuid.UUID]:
    since = window_start(now)
    return {u.clinic_id for u in uses_since(since)} | _signed_in_since(since)


# --- Dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class Adoption:
    label: str
    clinics: int
    percent: int


@dataclass(frozen=True)
class Cohort:
    month: dt.date
    size: int
    # Clinics active in the signup month, the month after, … (None: not yet happened).
    active: list[int | None]


@dataclass(frozen=True)
class Dashboard:
    clinics: int
    active: int
    by_status: list[tuple[str, int]]
    adoption: list[Adoption]
    trials_ended: int
    trials_converted: int
    conversion_percent: int
    cohorts: list[Cohort] = field(default_factory=list)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def cohorts(now: dt.datetime) -> list[Cohort]:
    """Clinics by the month they signed up × how many had any usage event in each month after."""
    this_month = _month_start(_today(now))
    first = _add_months(this_month, -(COHORT_MONTHS - 1))
    signups: dict[dt.date, list[uuid.UUID]] = defaultdict(list)
    for pk, created in Clinic.objects.filter(
        created_at__gte=dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC)
    ).values_list("pk", "created_at"):
        signups[_month_start(created.astimezone(dt.UTC).date())].append(pk)
    active_in: dict[dt.date, set[uuid.UUID]] = defaultdict(set)
    for use in uses_since(first):
        active_in[_month_start(use.day)].add(use.clinic_id)
    rows = []
    for i in range(COHORT_MONTHS):
        month = _add_months(first, i)
        members = set(signups.get(month, []))
        active: list[int | None] = []
        for k in range(COHORT_MONTHS):
            later = _add_months(month, k)
            active.append(len(members & active_in[later]) if later <= this_month else None)
        rows.append(Cohort(month=month, size=len(members), active=active))
    return rows


def dashboard(now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    since = window_start(now)
    uses = uses_since(since)
    active = {u.clinic_id for u in uses} | _signed_in_since(since)
    clinics = Clinic.objects.count()

    statuses = Counter(Subscription.objects.values_list("status", flat=True))
    labels = dict(Status.choices)
    by_status = [(labels[s], statuses[s]) for s in Status.values if statuses[s]]
    not_billed = clinics - sum(statuses.values())
    if not_billed:
        by_status.append((NOT_BILLED_LABEL, not_billed))

    used_by: dict[str, set[uuid.UUID]] = defaultdict(set)
    for use in uses:
        used_by[use.feature].add(use.clinic_id)
    adoption = []
    for label, features in ADOPTION.items():
        adopters = set().union(*(used_by[f] for f in features)) & active
        adoption.append(Adoption(label, len(adopters), _percent(len(adopters), len(active))))

    ended = Subscription.objects.filter(trial_ends_at__lte=now)
    trials_ended = ended.count()
    converted = ended.filter(status=Status.ACTIVE).count()
    return Dashboard(
        clinics=clinics,
        active=len(active),
        by_status=by_status,
        adoption=adoption,
        trials_ended=trials_ended,
        trials_converted=converted,
        conversion_percent=_percent(converted, trials_ended),
        cohorts=cohorts(now),
    )


# --- Clinics -----------------------------------------------------------------------


def _plan(subscription: Subscription | None) -> Plan | None:
    if subscription is None:
        return None
    try:
        return catalogue().get(subscription.plan)
    except KeyError:
        return None


@dataclass(frozen=True)
class ClinicRow:
    clinic: Clinic
    subscription: Subscription | None
    plan: Plan | None
    seats_used: int
    last_activity: dt.datetime | None

    @property
    def plan_name(self) -> str:
        if self.plan is not None:
            return self.plan.name
        return self.subscription.plan if self.subscription else "—"

    @property
    def status_label(self) -> str:
        if self.subscription is None:
            return NOT_BILLED_LABEL
        return self.subscription.get_status_display()

    @property
    def seats_limit(self) -> int | None:
        return self.plan.seats if self.plan is not None and self.plan.seats else None


def _latest(*moments: dt.datetime | None) -> dt.datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def _last_activity(clinic_ids: list[uuid.UUID]) -> dict[uuid.UUID, dt.datetime | None]:
    def by_clinic(qs: Any, name: str) -> dict[uuid.UUID, Any]:
        return {
            r["clinic_id"]: r["last"]
            for r in qs.filter(clinic_id__in=clinic_ids)
            .values("clinic_id")
            .annotate(last=Max(name))
            .order_by()
        }

    raw = by_clinic(FeatureEvent.objects, "occurred_at")
    daily = {
        k: dt.datetime.combine(v, dt.time.min, tzinfo=dt.UTC)
        for k, v in by_clinic(FeatureDaily.objects, "day").items()
    }
    signed_in = by_clinic(Membership.objects, "user__last_login")
    return {c: _latest(raw.get(c), daily.get(c), signed_in.get(c)) for c in clinic_ids}


def clinic_rows(query: str = "", *, clinic_id: uuid.UUID | None = None) -> list[ClinicRow]:
    clinics = Clinic.objects.annotate(seats=Count("memberships")).order_by("name")
    if clinic_id is not None:
        clinics = clinics.filter(pk=clinic_id)
    query = query.strip()
    if query:
        clinics = clinics.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    found = list(clinics)
    ids = [c.pk for c in found]
    subscriptions = {s.clinic_id: s for s in Subscription.objects.filter(clinic_id__in=ids)}
    last = _last_activity(ids)
    rows = []
    for clinic in found:
        subscription = subscriptions.get(clinic.pk)
        rows.append(
            ClinicRow(
                clinic=clinic,
                subscription=subscription,
                plan=_plan(subscription),
                seats_used=clinic.seats,
                last_activity=last[clinic.pk],
            )
        )
    return rows


@dataclass(frozen=True)
class Limit:
    label: str
    used: int | None
    limit: int | None


@dataclass(frozen=True)
class ClinicDetail:
    row: ClinicRow
    state: AccountState
    limits: list[Limit]
    usage: list[Any]
    members: list[Membership]
    roles: list[tuple[str, int]]
    features: list[tuple[str, int]]
    grants: list[SupportGrant]

    @property
    def service(self) -> str:
        return MODE_LABELS[self.state.mode]


MODE_LABELS = {
    Mode.FULL: "Full service",
    Mode.GRACE: "Grace period (staff see a banner)",
    Mode.READ_ONLY: "Read-only",
}


LIMIT_LABELS = {
    "seats": "Seats (team members)",
    "sms_segments": "SMS segments a month",
    "emails": "Emails a month",
    "chat_conversations": "Chatbot conversations a month",
}


def _usage_lines(clinic: Clinic, now: dt.datetime) -> list[UsageLine]:
    """This period's metered usage and seats against the plan (aescrm.billing.usage)."""
    return usage_for(clinic, now=now)


def clinic_detail(clinic_id: uuid.UUID, now: dt.datetime | None = None) -> ClinicDetail:
    now = now or timezone.now()
    rows = clinic_rows(clinic_id=clinic_id)
    if not rows:
        raise NotFound("no such clinic")
    row = rows[0]
    members = list(
        Membership.objects.filter(clinic_id=clinic_id)
        .select_related("user")
        .order_by("role", "user__email")
    )
    roles = Counter(m.get_role_display() for m in members)
    limits = [
        Limit(
            LIMIT_LABELS["seats"],
            row.seats_used,
            row.plan.seats if row.plan is not None else None,
        )
    ]
    if row.plan is not None:
        limits += [
            Limit(LIMIT_LABELS[m], None, row.plan.limit(m))
            for m in ("sms_segments", "emails", "chat_conversations")
        ]
    counts: Counter[str] = Counter()
    for use in uses_since(window_start(now), clinic_id=clinic_id):
        counts[use.feature] += use.count
    features = [(label, counts[key]) for key, label in FEATURES.items()]
    with clinic_scope(clinic_id):
        grants = list(
            SupportGrant.objects.select_related("requested_by").order_by("-requested_at")[:20]
        )
    return ClinicDetail(
        row=row,
        state=state_of(row.subscription, now=now),
        limits=limits,
        usage=_usage_lines(row.clinic, now),
        members=members,
        roles=sorted(roles.items()),
        features=features,
        grants=grants,
    )
