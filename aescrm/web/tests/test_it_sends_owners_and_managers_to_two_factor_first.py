"""Owners and managers pass a TOTP second factor before any clinic page opens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aescrm.testing.fixtures import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ["/", "/patients/", "/patients/new", "/enquiries/", "/calendar/", "/calendar/book",
         "/audit/", "/audit/export.csv", "/settings/api-keys"]  # fmt: skip


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_it_sends_them_to_two_factor_before_any_page_and_lets_them_in_after(
    clinic_a: Any, role: str
) -> None:
    # Given an owner or manager with a confirmed authenticator app
    user = clinic_a.users[role]
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()

    # When they sign in with their password only
    signed_in = client.post("/sign-in", {"email": user.email, "password": PASSWORD, "next": "/"})

    # Then every page sends them to two-factor first
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/sign-in/two-factor?next=/"
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == f"/sign-in/two-factor?next={page}", page

    # When they enter the current code from their app
    verified = client.post(
        "/sign-in/two-factor", {"token": f"{totp(device.bin_key):06d}", "next": "/patients/"}
    )

    # Then they reach the pages
    assert verified.status_code == 302
    assert verified["Location"] == "/patients/"
    assert [client.get(page).status_code for page in PAGES] == [200] * len(PAGES)


def test_a_wrong_code_keeps_them_out(clinic_a: Any) -> None:
    user = clinic_a.users["owner"]
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.post("/sign-in", {"email": user.email, "password": PASSWORD})
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"

    response = client.post("/sign-in/two-factor", {"token": wrong})

    assert response.status_code == 400
    assert "That code is not right." in response.content.decode()
    assert client.get("/patients/")["Location"] == "/sign-in/two-factor?next=/patients/"


def test_an_owner_without_a_device_is_asked_to_set_one_up(clinic_a: Any) -> None:
    client = Client()
    client.post("/sign-in", {"email": clinic_a.users["owner"].email, "password": PASSWORD})

    response = client.get(client.get("/patients/")["Location"])

    assert response.status_code == 200
    assert "Your role needs a second factor." in response.content.decode()


def test_a_receptionist_without_a_device_goes_straight_in(clinic_a: Any) -> None:
    client = Client()

    response = client.post(
        "/sign-in",
        {"email": clinic_a.users["receptionist"].email, "password": PASSWORD, "next": "/patients/"},
    )

    assert response["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(db: Any) -> None:
    response = Client().get("/patients/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=/patients/"
