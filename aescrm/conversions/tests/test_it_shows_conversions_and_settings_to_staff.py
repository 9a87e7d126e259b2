"""Staff pages: the uploads list with reasons, the settings form, retrying a failure."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import check_password

from aescrm.conversions.models import AdPlatformSettings, ConversionUpload, UploadStatus
from aescrm.conversions.tests.conftest import configure, journey, touch
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

SETTINGS_FORM = {
    "google_enabled": "on",
    "google_customer_id": "123-456-7890",
    "google_developer_token": "dev-token-value",
    "google_client_id": "client.apps.googleusercontent.com",
    "google_client_secret": "client-secret-value",
    "google_refresh_token": "refresh-token-value",
    "google_action_attended_id": "555",
    "google_action_attended_name": "Attended treatment",
    "feed_username": "alpha-feed",
    "feed_password": "a-long-feed-password-2026",
    "meta_enabled": "on",
    "meta_pixel_id": "123456789012345",
    "meta_access_token": "EAA-meta-token-value",
    "meta_kinds": ["lead", "attended"],
}


def test_the_list_shows_status_and_why_not(
    clinic_a: Any,
    clinic_b: Any,
    google_fake: Any,
    meta_fake: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure(clinic_a)
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))

    page = text(member_client(clinic_a, "marketer").get("/conversions/"))

    assert "Uploaded" in page
    assert "This kind of conversion is not mapped" in page
    assert "No click id from this platform" in page
    assert "£2,500.00" in page
    assert "TeSt123" not in page  # click ids are personal data: not shown here
    other = text(member_client(clinic_b, "owner").get("/conversions/"))
    assert "No conversions yet." in other


@pytest.mark.parametrize(
    ("role", "list_status", "settings_status"),
    [
        ("owner", 200, 200),
        ("manager", 200, 200),
        ("marketer", 200, 403),
        ("receptionist", 403, 403),
        ("clinician", 403, 403),
        ("auditor", 403, 403),
    ],
)
def test_who_may_open_the_pages(
    clinic_a: Any, role: str, list_status: int, settings_status: int
) -> None:
    client = member_client(clinic_a, role)

    assert client.get("/conversions/").status_code == list_status
    assert client.get("/conversions/settings").status_code == settings_status


def test_the_navigation_links_to_conversions(clinic_a: Any) -> None:
    page = text(member_client(clinic_a, "manager").get("/"))
    assert 'href="/conversions/"' in page
    assert 'href="/conversions/"' not in text(member_client(clinic_a, "receptionist").get("/"))


def test_saving_settings_encrypts_secrets_and_hashes_the_password(clinic_a: Any) -> None:
    client = member_client(clinic_a, "owner")

    response = client.post("/conversions/settings", SETTINGS_FORM)

    assert response.status_code == 302, text(response)
    with clinic_scope(clinic_a.clinic.pk):
        row = AdPlatformSettings.objects.get()
    assert row.google_customer_id == "1234567890"
    assert row.google_refresh_token == "refresh-token-value"
    assert row.meta_access_token == "EAA-meta-token-value"
    assert check_password("a-long-feed-password-2026", row.feed_password_hash)
    assert row.meta_sends("lead") and not row.meta_sends("booked")
    from django.db import connection

    # Raw SQL, inside the clinic's scope (row-level security hides it otherwise).
    with clinic_scope(clinic_a.clinic.pk), connection.cursor() as cursor:
        cursor.execute(
            "SELECT google_refresh_token, meta_access_token, google_client_secret "
            "FROM conversions_adplatformsettings"
        )
        stored = cursor.fetchone()
    for value in stored:
        assert b"value" not in bytes(value) and b"token" not in bytes(value)
    page = text(client.get("/conversions/settings"))
    assert "refresh-token-value" not in page and "EAA-meta-token-value" not in page
    assert "A refresh token is saved." in page

    # Leaving secrets blank keeps them.
    again = dict(SETTINGS_FORM, google_refresh_token="", meta_access_token="", feed_password="")
    assert client.post("/conversions/settings", again).status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        row = AdPlatformSettings.objects.get()
    assert row.google_refresh_token == "refresh-token-value"
    assert check_password("a-long-feed-password-2026", row.feed_password_hash)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"google_customer_id": "12345"}, "google_customer_id", "10 digits"),
        ({"google_login_customer_id": "abc-def-ghij"}, "google_login_customer_id", "10 digits"),
        ({"google_action_attended_id": "12a"}, "google_action_attended_id", "digits only"),
        ({"google_action_attended_name": "=HYPERLINK(1)"}, "google_action_attended_name", "="),
        ({"meta_pixel_id": "pixel"}, "meta_pixel_id", "digits only"),
        ({"feed_password": "short"}, "feed_password", "16 characters"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(
    clinic_a: Any, change: dict[str, str], field: str, message: str
) -> None:
    response = member_client(clinic_a, "manager").post(
        "/conversions/settings", dict(SETTINGS_FORM, **change)
    )

    page = text(response)
    assert response.status_code == 400
    assert f'href="#id_{field}"' in page
    assert message in page
    with clinic_scope(clinic_a.clinic.pk):
        assert not AdPlatformSettings.objects.exists()


def test_enabling_google_needs_its_credentials(clinic_a: Any) -> None:
    form = {"google_enabled": "on", "google_customer_id": "1234567890"}
    response = member_client(clinic_a, "owner").post("/conversions/settings", form)

    assert response.status_code == 400
    assert 'href="#id_google_developer_token"' in text(response)


def test_a_failed_upload_can_be_retried_but_not_by_another_clinic(
    clinic_a: Any,
    clinic_b: Any,
    google_fake: Any,
    meta_fake: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure(clinic_a)
    google_fake.refuse = {"TeSt123": "The click is too old."}
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))
    with clinic_scope(clinic_a.clinic.pk):
        upload = ConversionUpload.objects.get(platform="google_ads", event__kind="attended")
    assert upload.status == UploadStatus.FAILED

    outsider = member_client(clinic_b, "owner").post(f"/conversions/{upload.pk}/retry")
    assert outsider.status_code == 404
    marketer = member_client(clinic_a, "marketer").post(f"/conversions/{upload.pk}/retry")
    assert marketer.status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED

    google_fake.refuse = {}
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client(clinic_a, "manager").post(f"/conversions/{upload.pk}/retry")
    assert response.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        upload.refresh_from_db()
    assert upload.status == UploadStatus.UPLOADED


def test_another_clinics_member_cannot_change_settings(clinic_a: Any, clinic_b: Any) -> None:
    configure(clinic_a, google=False, meta=False)
    member_client(clinic_b, "owner").post(
        "/conversions/settings", dict(SETTINGS_FORM, google_customer_id="999-999-9999")
    )
    with clinic_scope(clinic_a.clinic.pk):
        assert AdPlatformSettings.objects.get().google_customer_id == "1234567890"
