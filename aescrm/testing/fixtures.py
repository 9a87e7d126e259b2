"""Fixtures every test can use: two clinics, a member of every role, API clients.

Clinic A is the one under test; clinic B is the outsider whose members and
keys must get 404 for everything of clinic A, and change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic, User
from aescrm.accounts.permissions import Role, Scope
from aescrm.accounts.services import api_key_create, clinic_create, membership_set
from aescrm.audit import guard
from aescrm.audit.guard import set_maintenance
from aescrm.core.tenancy import clinic_scope
from aescrm.crypto.keys import clear_key_cache
from aescrm.patients import services
from aescrm.patients.models import Patient, Practitioner, Treatment, WorkingHours
from aescrm.scheduling.models import ScheduleSettings

PASSWORD = "a-long-test-password-2026"

_DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test with the database also has the key vault.

    Patient data is encrypted under keys kept in the ``keyvault`` database
    (docs/decisions/0022), so any test that writes a patient touches both.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and not _DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        kwargs["databases"] = "__all__"
        item.add_marker(
            pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False
        )


@dataclass
class ClinicWorld:
    clinic: Clinic
    users: dict[str, User] = field(default_factory=dict)
    api_key: str = ""
    treatment: Treatment | None = None
    practitioner: Practitioner | None = None

    def caller(self, role: str = Role.OWNER) -> Caller:
        user = self.users.get(role)
        return Caller(clinic_id=self.clinic.pk, user_id=user.pk if user else None, role=role)

    def api(self) -> ApiClient:
        return ApiClient(self.api_key)

    def make_patient(self, **fields: Any) -> Patient:
        data = services.PatientInput(**{"first_name": "Test", "last_name": "Patient", **fields})
        with clinic_scope(self.clinic.pk):
            if data.email is None and data.phone is None:
                data.email = f"patient-{Patient.objects.count()}-{self.clinic.slug}@example.com"
            return services.patient_create(caller=self.caller(), data=data)


class ApiClient(Client):
    """A test client that sends the API key and JSON by default."""

    def __init__(self, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key

    def _auth(self, extra: dict[str, Any]) -> dict[str, Any]:
        if self.key:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.key}")
        return extra

    def get(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().get(path, data, **self._auth(extra))

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.setdefault("content_type", "application/json")
        return super().post(path, data, **self._auth(extra))

    def patch(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.setdefault("content_type", "application/json")
        return super().patch(path, data, **self._auth(extra))

    def delete(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.setdefault("content_type", "application/json")
        return super().delete(path, data, **self._auth(extra))


def build_world(slug: str, name: str) -> ClinicWorld:
    # Feature tests see only the automation rules they make; automation tests install recipes.
    clinic = clinic_create(name=name, slug=slug, domains=[f"{slug}.example"], automations=False)
    world = ClinicWorld(clinic=clinic)
    for role in Role:
        user = User.objects.create_user(f"{role.value}@{slug}.test", PASSWORD)
        membership_set(clinic=clinic, user=user, role=role.value)
        world.users[role.value] = user
    _, world.api_key = api_key_create(clinic=clinic, name="test", scopes=[s.value for s in Scope])
    with clinic_scope(clinic.pk):
        world.treatment = Treatment.objects.create(
            name="Hygienist appointment", category="Dental", duration_minutes=30, price_pence=7500
        )
        world.practitioner = Practitioner.objects.create(
            display_name="Dr Test", profession="Dentist", user=world.users[Role.CLINICIAN]
        )
        for day in range(7):
            WorkingHours.objects.create(
                practitioner=world.practitioner, weekday=day, starts=dt.time(8), ends=dt.time(20)
            )
        # Open every day, bank holidays too, so a test booking "tomorrow at 10:00"
        # passes on any date; tests of the bank-holiday rule switch it back on.
        ScheduleSettings.objects.create(closed_on_bank_holidays=False)
    return world


@pytest.fixture(autouse=True)
def _fresh_key_cache() -> Iterator[None]:
    clear_key_cache()
    yield
    clear_key_cache()


@pytest.fixture
def clinic_a(db: Any) -> ClinicWorld:
    return build_world("alpha", "Alpha Dental")


@pytest.fixture
def clinic_b(db: Any) -> ClinicWorld:
    return build_world("bravo", "Bravo Aesthetics")


@pytest.fixture
def allow_audit_flush() -> Iterator[None]:
    """Transactional tests: let the harness empty the append-only audit table afterwards.

    Request it after ``transactional_db``/``live_server`` so its teardown runs
    before their flush. ``_audit_append_only`` switches the guard back on
    before the next test.
    """
    set_maintenance(False)
    yield
    set_maintenance(True)


@pytest.fixture(autouse=True)
def _audit_append_only(django_db_blocker: Any) -> None:
    """Every test starts with the audit log append-only, whatever ran before it."""
    if not guard._maintenance["on"]:
        return
    guard._maintenance["on"] = False
    if connection.vendor == "postgresql" and connection.connection is not None:
        with django_db_blocker.unblock():
            set_maintenance(False)
