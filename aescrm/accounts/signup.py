"""Self-serve sign-up: a pending row, a link by email, then user, clinic and owner (0030).

Nothing but the pending row exists until the person follows the link we
emailed, so an address typed by someone else never gets an account. Whether
an address already has an account is never shown on the page: its holder is
emailed "you already have an account, sign in" instead of a link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from aescrm.accounts.account_mail import AccountEmail, AccountMailError, send_account_email
from aescrm.accounts.models import Clinic, PendingSignup, User
from aescrm.accounts.permissions import Role
from aescrm.accounts.services import clinic_create, membership_set
from aescrm.audit.services import audit_record
from aescrm.billing.services import trial_start
from aescrm.core.problems import DomainError, ValidationFailed

LINK_LIFETIME = dt.timedelta(hours=24)
SLUG_MAX = 50


class SignupLinkInvalid(DomainError):
    status = 404
    title = "Link not valid"
    type_slug = "signup-link-invalid"


class SignupLinkExpired(DomainError):
    status = 410
    title = "Link expired"
    type_slug = "signup-link-expired"


class AlreadySignedUp(DomainError):
    """The address got an account (another link of the same sign-up was used)."""

    status = 409
    title = "Already signed up"
    type_slug = "already-signed-up"


@dataclass(frozen=True)
class SignupInput:
    email: str
    full_name: str
    password: str
    clinic_name: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _required(value: str, field: str, label: str, limit: int = 200) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValidationFailed(f"enter {label}", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"{label} must be at most {limit} characters", field=field)
    return value


def _clean(data: SignupInput) -> SignupInput:
    email = data.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(
            "enter an email address like name@yourclinic.co.uk", field="email"
        ) from exc
    if len(email) > 254:
        raise ValidationFailed("the email address is longer than 254 characters", field="email")
    full_name = _required(data.full_name, "full_name", "your full name")
    clinic_name = _required(data.clinic_name, "clinic_name", "your clinic's name")
    try:
        validate_password(data.password, user=User(email=email, full_name=full_name))
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    return SignupInput(email, full_name, data.password, clinic_name)


def _link(token: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/signup/verify/{token}"


def _sign_in_link() -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/sign-in"


def signup_request(data: SignupInput) -> None:
    """Email a confirmation link (or, for a known address, a reminder to sign in).

    The page says the same in both cases; the password is hashed in both so
    the answer takes as long either way.
    """
    clean = _clean(data)
    password_hash = make_password(clean.password)
    now = timezone.now()
    PendingSignup.objects.filter(expires_at__lte=now).delete()
    if User.objects.filter(email__iexact=clean.email).exists():
        send_account_email(
            AccountEmail(
                to=clean.email,
                subject="You already have an AES-CRM account",
                text=(
                    f"Hello,\n\nSomeone (we hope you) tried to sign up to AES-CRM with "
                    f"{clean.email}, but this address already has an account.\n\n"
                    f"Sign in here: {_sign_in_link()}\n\n"
                    "If you have forgotten your password, ask your clinic's owner or write to "
                    "us. If this was not you, you can ignore this email: nothing has changed.\n"
                ),
            )
        )
        audit_record("signup.known_address", object_type="user", platform=True)
        return
    token = secrets.token_urlsafe(32)
    pending = PendingSignup.objects.create(
        email=clean.email,
        full_name=clean.full_name,
        clinic_name=clean.clinic_name,
        password_hash=password_hash,
        token_hash=token_hash(token),
        expires_at=now + LINK_LIFETIME,
    )
    try:
        send_account_email(
            AccountEmail(
                to=clean.email,
                subject="Confirm your email to set up your clinic on AES-CRM",
                text=(
                    f"Hello {clean.full_name},\n\n"
                    f"Follow this link to confirm your email address and set up "
                    f"{clean.clinic_name} on AES-CRM:\n\n{_link(token)}\n\n"
                    "The link works once, for 24 hours. If you did not sign up, ignore this "
                    "email: no account is made until the link is followed.\n"
                ),
            )
        )
    except AccountMailError as exc:
        pending.delete()
        raise ValidationFailed(
            "we could not send an email to that address; check it and try again",
            field="email",
        ) from exc
    audit_record(
        "signup.request", object_type="pending_signup", object_id=pending.pk, platform=True
    )


def signup_pending(token: str) -> PendingSignup:
    """The sign-up a link belongs to, if the link can still be used."""
    pending = PendingSignup.objects.filter(token_hash=token_hash(token)).first()
    if pending is None:
        raise SignupLinkInvalid(
            "this link has already been used or is not one of ours", field="token"
        )
    if pending.expires_at <= timezone.now():
        raise SignupLinkExpired("this link has expired: links work for 24 hours", field="token")
    return pending


def unique_slug(name: str) -> str:
    base = slugify(name)[:SLUG_MAX].strip("-") or "clinic"
    taken = set(Clinic.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    for n in range(2, 100):
        candidate = f"{base[: SLUG_MAX - 4]}-{n}"
        if candidate not in taken:
            return candidate
    return f"{base[: SLUG_MAX - 9]}-{secrets.token_hex(4)}"


def signup_verify(token: str) -> tuple[User, Clinic]:
    """Use the link once: the user, their clinic and their owner membership, all or nothing."""
    try:
        return _verify(token)
    except IntegrityError as exc:
        # The same link used twice at the same moment (SQLite has no row lock): one won.
        raise SignupLinkInvalid(
            "this link has already been used or is not one of ours", field="token"
        ) from exc


def _verify(token: str) -> tuple[User, Clinic]:
    with transaction.atomic():
        rows = PendingSignup.objects.filter(token_hash=token_hash(token))
        if connection.vendor == "postgresql":
            # Two clicks at once: the second waits, then finds the row gone.
            rows = rows.select_for_update()
        if rows.first() is None:
            raise SignupLinkInvalid(
                "this link has already been used or is not one of ours", field="token"
            )
        pending = signup_pending(token)
        if User.objects.filter(email__iexact=pending.email).exists():
            PendingSignup.objects.filter(email=pending.email).delete()
            raise AlreadySignedUp(
                "this email address already has an account: sign in instead", field="token"
            )
        user = User(
            email=pending.email, full_name=pending.full_name, password=pending.password_hash
        )
        user.save()
        clinic = clinic_create(name=pending.clinic_name, slug=unique_slug(pending.clinic_name))
        membership_set(clinic=clinic, user=user, role=Role.OWNER.value)
        # A self-serve clinic starts on the free trial of the default plan (decision 0031).
        trial_start(clinic=clinic)
        # Every other link of this address goes too: one account per address.
        PendingSignup.objects.filter(email=pending.email).delete()
        audit_record("signup.verified", object_type="user", object_id=user.pk, platform=True)
        audit_record(
            "clinic.create_by_signup",
            object_type="clinic",
            object_id=clinic.pk,
            clinic_id=clinic.pk,
            detail={"owner": str(user.pk)},
        )
    return user, clinic
