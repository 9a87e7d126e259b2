"""Idempotent demo data: two clinics, a user for every role, ~200 patients each side of today."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import ApiKey, Clinic, User
from aescrm.accounts.permissions import Role, Scope
from aescrm.accounts.services import api_key_create, clinic_create, membership_set
from aescrm.attribution.models import ConversionEvent
from aescrm.attribution.touch import TouchInput, parse_touch
from aescrm.billing.models import Status, Subscription
from aescrm.billing.plans import catalogue
from aescrm.conversions.models import AdPlatformSettings
from aescrm.conversions.services import SettingsInput, settings_update
from aescrm.core.maintenance import refresh_planner_statistics
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.demo.assistant import seed_assistant
from aescrm.demo.catalogue import FIRST_NAMES, LAST_NAMES, PRACTITIONERS, TREATMENTS
from aescrm.patients import services
from aescrm.patients.models import (
    STATUS_OF_STAGE,
    Appointment,
    AppointmentStatus,
    Enquiry,
    EnquiryChannel,
    LeadStage,
    LostReason,
    Patient,
    Practitioner,
    Treatment,
    WorkingHours,
)
from aescrm.reports.models import AdSpend, SpendFormat
from aescrm.reports.services import ad_spend_import
from aescrm.reports.spend_csv import SpendRow
from aescrm.templating.models import MessageTemplate
from aescrm.templating.services import TemplateInput, template_create

DEMO_KEY_NAME = "Demo key (seed_demo)"
CLINICS = [
    (
        "harbour",
        "Harbour Dental & Aesthetics",
        ["harbourdental.example", "www.harbourdental.example"],
        200,
    ),
    ("northgate", "Northgate Smile Studio", ["northgatesmile.example"], 40),
]
# A fixed TOTP key for the demo owners and managers, so the demo can be
# signed into; real accounts enrol their own device at first sign-in.
DEMO_TOTP_HEX = "3132333435363738393031323334353637383930"


# Demo Twilio details, so the SMS and voice webhooks can be exercised locally (numbers in
# Ofcom's drama range; the token signs test webhooks, it is no real secret).
DEMO_TWILIO_NUMBERS = {"harbour": "+447700900101", "northgate": "+447700900102"}
DEMO_TWILIO_SID = "AC" + "d" * 32
# Where each demo clinic's calls are forwarded (Ofcom's drama range for landlines).
DEMO_FORWARDING_NUMBERS = {"harbour": "+441632960101", "northgate": "+441632960102"}


def demo_twilio_token(slug: str) -> str:
    return f"demo-twilio-auth-token-{slug}"


@dataclass
class SeededClinic:
    clinic: Clinic
    api_key: str
    users: list[dict[str, str]] = field(default_factory=list)
    twilio_number: str = ""
    twilio_auth_token: str = ""
    postmark_webhook_user: str = ""
    postmark_webhook_password: str = ""
    stripe_customer_id: str = ""
    stripe_subscription_id: str = ""


def _billing(clinic: Clinic) -> Subscription:
    """An active monthly subscription with demo Stripe ids (no real Stripe account behind
    them), so the billing page and the account state have something to show."""
    now = timezone.now()
    subscription, _ = Subscription.objects.update_or_create(
        clinic=clinic,
        defaults={
            "plan": catalogue().default.key,
            "status": Status.ACTIVE,
            "stripe_customer_id": f"cus_demo_{clinic.slug}",
            "stripe_subscription_id": f"sub_demo_{clinic.slug}",
            "current_period_start": now,
            "current_period_end": now + dt.timedelta(days=30),
            "cancel_at_period_end": False,
            "payment_overdue_since": None,
            "ended_at": None,
        },
    )
    return subscription


def _messaging(clinic: Clinic) -> tuple[str, str]:
    from aescrm.accounts.caller import Caller
    from aescrm.accounts.permissions import Role
    from aescrm.messaging.services import settings_set

    number, token = DEMO_TWILIO_NUMBERS[clinic.slug], demo_twilio_token(clinic.slug)
    settings_set(
        caller=Caller(clinic_id=clinic.pk, role=Role.OWNER),
        account_sid=DEMO_TWILIO_SID,
        auth_token=token,
        sending_number=number,
        help_contact=f"call {number}",
        forwarding_number=DEMO_FORWARDING_NUMBERS[clinic.slug],
        missed_call_text_enabled=True,
    )
    return number, token


def demo_postmark_login(slug: str) -> tuple[str, str]:
    """The demo clinic's Postmark webhook login (basic auth), so webhooks can be tried locally."""
    return f"pm-demo-{slug}", f"demo-postmark-webhook-{slug}"


def _mail(clinic: Clinic) -> tuple[str, str]:
    from aescrm.accounts.caller import Caller
    from aescrm.accounts.permissions import Role
    from aescrm.mail.services import MailSettingsInput, settings_set

    domain = (clinic.website_domains or [f"{clinic.slug}.example"])[0]
    row = settings_set(
        caller=Caller(clinic_id=clinic.pk, role=Role.OWNER),
        data=MailSettingsInput(
            server_token=f"demo-postmark-server-token-{clinic.slug}",
            sender_email=f"hello@{domain}",
            inbound_address=f"{clinic.slug}-demo@inbound.postmarkapp.com",
        ),
    )
    user, password = demo_postmark_login(clinic.slug)
    row.webhook_user, row.webhook_password = user, password
    row.save(update_fields=["webhook_user", "webhook_password", "updated_at"])
    return user, password


def demo_password(slug: str, role: str) -> str:
    return f"{slug}-{role}-demo-2026"


def _users(clinic: Clinic) -> list[dict[str, str]]:
    users = []
    for role in Role:
        email = f"{role.value}@{clinic.slug}.example"
        user = User.objects.filter(email=email).first()
        password = demo_password(clinic.slug, role.value)
        if user is None:
            user = User.objects.create_user(
                email, password, full_name=f"{role.label} at {clinic.name}"
            )
        membership_set(clinic=clinic, user=user, role=role.value)
        entry = {"email": email, "password": password, "role": role.value}
        if role in (Role.OWNER, Role.MANAGER):
            TOTPDevice.objects.get_or_create(
                user=user,
                name="Demo authenticator",
                defaults={"key": DEMO_TOTP_HEX, "confirmed": True},
            )
            entry["totp_key_hex"] = DEMO_TOTP_HEX
        users.append(entry)
    return users


def _catalogue(clinic: Clinic) -> tuple[list[Treatment], list[Practitioner]]:
    for name, category, minutes, price, pom in TREATMENTS:
        Treatment.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "duration_minutes": minutes,
                "price_pence": price,
                "prescription_medicine": pom,
            },
        )
    for display_name, profession, registration in PRACTITIONERS[clinic.slug]:
        practitioner, created = Practitioner.objects.get_or_create(
            display_name=display_name,
            defaults={"profession": profession, "registration": registration},
        )
        if created:
            WorkingHours.objects.bulk_create(
                [
                    WorkingHours(
                        practitioner=practitioner,
                        weekday=day,
                        starts=dt.time(9),
                        ends=dt.time(17, 30),
                    )
                    for day in range(5)
                ]
            )
    clinician = User.objects.filter(email=f"clinician@{clinic.slug}.example").first()
    first = Practitioner.objects.order_by("display_name").first()
    if clinician and first and first.user_id is None:
        first.user = clinician
        first.save(update_fields=["user"])
    return list(Treatment.objects.all()), list(Practitioner.objects.all())


def _patients(clinic: Clinic, count: int, rng: random.Random) -> None:
    existing = Patient.objects.count()
    caller = Caller(clinic_id=clinic.pk, role=Role.OWNER)
    offset = 0 if clinic.slug == "harbour" else 500
    for i in range(existing, count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        patient = services.patient_create(
            caller=caller,
            data=services.PatientInput(
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{i}@example.com".lower().replace("'", ""),
                phone=f"07700 900{offset + i:03d}" if offset + i < 1000 else None,
                consent={
                    "sms": rng.random() < 0.6,
                    "email": rng.random() < 0.5,
                    "phone": rng.random() < 0.3,
                },
            ),
            consent_source="import",
            consent_wording="I'd like to hear about offers and news by the channels I've ticked.",
        )
        channel = rng.choice(EnquiryChannel.values)
        asked_at = timezone.now() - dt.timedelta(minutes=rng.randint(5, 90 * 24 * 60))
        touch = _demo_touch(clinic, rng, asked_at) if channel in ("web_form", "chat") else None
        enquiry = services.enquiry_create(
            caller=caller,
            patient=patient,
            channel=channel,
            first_touch=touch,
            message=rng.choice(
                [
                    "Hi, how much is teeth whitening?",
                    "I'd like a consultation about straightening my teeth.",
                    "Do you have any appointments next week for a check-up?",
                    "Interested in lip filler, what does it cost?",
                    "Can I book a hygienist appointment please?",
                ]
            ),
        )
        # Spread the demo's enquiries over the past 90 days, as a real clinic's are.
        Enquiry.objects.filter(pk=enquiry.pk).update(created_at=asked_at)
        ConversionEvent.objects.filter(enquiry=enquiry).update(occurred_at=asked_at)


# Where the demo's web leads came from: (weight, touch fields).
DEMO_SOURCES = [
    (30, {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "implants_2026",
          "utm_term": "dental implants near me", "gclid": "demo"}),
    (20, {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "whitening_spring",
          "utm_term": "teeth whitening cost", "gclid": "demo"}),
    (20, {"utm_source": "facebook", "utm_medium": "paid_social",
          "utm_campaign": "lip_filler_offer", "fbclid": "demo"}),
    (15, {"referrer": "https://www.google.co.uk/"}),
    (10, {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "monthly_news"}),
    (10, {}),
]  # fmt: skip


# Daily spend of the demo's paid campaigns, in pence: (source, medium, campaign, low, high).
DEMO_SPEND = [
    ("google", "cpc", "implants_2026", 2000, 4500),
    ("google", "cpc", "whitening_spring", 1000, 2500),
    ("facebook", "paid_social", "lip_filler_offer", 800, 2000),
]


def _ad_spend(clinic: Clinic, rng: random.Random) -> None:
    """Ninety days of spend on the campaigns the demo's leads came from, so ROAS shows."""
    if AdSpend.objects.exists():
        return
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(clinic.timezone))
    rows = [
        SpendRow(
            date=today - dt.timedelta(days=back),
            source=source,
            medium=medium,
            campaign=campaign,
            spend_pence=rng.randint(low, high),
        )
        for back in range(90)
        for source, medium, campaign, low, high in DEMO_SPEND
    ]
    ad_spend_import(
        caller=Caller(clinic_id=clinic.pk, role=Role.OWNER),
        rows=rows,
        source_format=SpendFormat.PLAIN,
        filename="demo-spend.csv",
    )


def _ad_platforms(clinic: Clinic) -> None:
    """Google Ads and Meta connected with demo values, so the Conversions page,
    the import file and the (console-mode) uploads show something real."""
    if AdPlatformSettings.objects.exists():
        return
    settings_update(
        caller=Caller(clinic_id=clinic.pk, role=Role.OWNER),
        data=SettingsInput(
            google_enabled=True,
            google_customer_id="123-456-7890",
            google_developer_token="demo-developer-token",
            google_client_id="demo-client-id.apps.googleusercontent.com",
            google_client_secret="demo-client-secret",
            google_refresh_token="demo-refresh-token",
            google_actions={
                "lead": ("1000001", "Website lead"),
                "booked": ("1000002", "Appointment booked"),
                "attended": ("1000003", "Treatment attended"),
            },
            meta_enabled=True,
            meta_pixel_id="1234567890",
            meta_access_token="demo-meta-access-token",
            meta_kinds=("lead", "booked", "attended"),
        ),
    )


def _demo_touch(clinic: Clinic, rng: random.Random, asked_at: dt.datetime) -> TouchInput | None:
    fields = dict(rng.choices([f for _, f in DEMO_SOURCES], [w for w, _ in DEMO_SOURCES])[0])
    for click in ("gclid", "fbclid"):
        if click in fields:
            fields[click] = f"DEMO{click.upper()}{rng.randrange(10**9):09d}"
    domain = clinic.website_domains[0] if clinic.website_domains else "clinic.example"
    fields["landing_page"] = f"https://{domain}/treatments"
    seen_at = asked_at - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 7))
    return parse_touch(
        {**fields, "occurred_at": seen_at.isoformat()},
        prefix="first_touch",
        marketing_consent=rng.random() < 0.7,
    )


def _treatments_for(practitioner: Practitioner, treatments: list[Treatment]) -> list[Treatment]:
    """What this practitioner would really do: hygienists clean and whiten, the
    aesthetic nurse prescriber does aesthetics, dentists the dental work."""
    profession = practitioner.profession.lower()
    if "hygienist" in profession:
        wanted = {"Hygienist appointment", "Teeth whitening (home kit)"}
        suited = [t for t in treatments if t.name in wanted]
    elif "aesthetic" in profession:
        suited = [t for t in treatments if t.category == "Aesthetic"]
    else:
        suited = [t for t in treatments if t.category != "Aesthetic" and "Hygienist" not in t.name]
    return suited or treatments


def _appointments(
    clinic: Clinic,
    treatments: list[Treatment],
    practitioners: list[Practitioner],
    rng: random.Random,
) -> None:
    if Appointment.objects.exists():
        return
    tz = zoneinfo.ZoneInfo(clinic.timezone)
    caller = Caller(clinic_id=clinic.pk, role=Role.OWNER)
    patients = list(Patient.objects.order_by("created_at"))
    today = timezone.localdate(timezone=tz)
    now = timezone.now()
    for day_offset in range(-90, 31):
        day = today + dt.timedelta(days=day_offset)
        if day.weekday() >= 5:
            continue
        for practitioner in practitioners:
            for hour in (9, 11, 14, 16):
                if rng.random() > 0.35:
                    continue
                treatment = rng.choice(_treatments_for(practitioner, treatments))
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
                try:
                    appointment = services.appointment_book(
                        caller=caller,
                        patient=rng.choice(patients),
                        treatment=treatment,
                        practitioner=practitioner,
                        starts_at=start,
                        # History is entered after the fact: the booking rules
                        # (no past starts, no bank holidays) are set aside, recorded.
                        override=start < now,
                        override_reason="Demo diary history" if start < now else None,
                    )
                except ValidationFailed:
                    continue  # a future bank holiday or closure: no demo booking
                if start < now:
                    status = rng.choices(
                        [
                            AppointmentStatus.ATTENDED,
                            AppointmentStatus.NO_SHOW,
                            AppointmentStatus.CANCELLED,
                        ],
                        weights=[85, 7, 8],
                    )[0]
                else:
                    status = rng.choice([AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED])
                if status != appointment.status:
                    services.appointment_update(
                        caller=caller,
                        appointment=appointment,
                        status=status,
                        cancellation_reason="Patient asked to cancel"
                        if status == AppointmentStatus.CANCELLED
                        else None,
                    )


def _pipeline(clinic: Clinic, treatments: list[Treatment], rng: random.Random) -> None:
    """Spread the demo leads over the pipeline once, so the board is not empty.

    The newest few stay new and unanswered (their timers tick); older ones
    have moved on, with a first response a few minutes to hours after arrival.
    """
    from aescrm.pipeline.models import PipelineSettings

    if Enquiry.objects.exclude(stage=LeadStage.NEW).exists():
        return
    settings, _ = PipelineSettings.objects.get_or_create()
    settings.round_robin = clinic.slug == "harbour"
    settings.save(update_fields=["round_robin", "updated_at"])
    now = timezone.now()
    stages = [
        LeadStage.CONTACTED,
        LeadStage.CONSULTATION_BOOKED,
        LeadStage.TREATMENT_BOOKED,
        LeadStage.WON,
        LeadStage.LOST,
    ]
    reasons = [r for r in LostReason.values if r != LostReason.OTHER]
    for i, enquiry in enumerate(Enquiry.objects.order_by("-created_at")):
        fields: dict[str, object] = {"treatment": rng.choice(treatments)} if treatments else {}
        if i >= 6:
            stage = rng.choices(stages, weights=[30, 20, 10, 25, 15])[0]
            fields.update(
                stage=stage,
                status=STATUS_OF_STAGE[stage],
                first_response_at=enquiry.created_at + dt.timedelta(minutes=rng.randint(2, 240)),
                stage_changed_at=now,
                lost_reason=rng.choice(reasons) if stage == LeadStage.LOST else "",
            )
        Enquiry.objects.filter(pk=enquiry.pk).update(**fields)


DEMO_TEMPLATES = [
    TemplateInput(
        name="Appointment reminder",
        channel="sms",
        kind="service",
        body_text=(
            "Hi {{ first_name }}, a reminder of your {{ treatment }} with {{ practitioner }} on "
            "{{ appointment_time }} at {{ clinic_name }}. To rearrange: {{ booking_link }}"
        ),
    ),
    TemplateInput(
        name="Treatment follow-up",
        channel="email",
        kind="service",
        subject="How are you feeling after your visit, {{ first_name }}?",
        body_text=(
            "Dear {{ first_name }},\n\nThank you for visiting {{ clinic_name }} for your "
            "{{ treatment }} with {{ practitioner }}. If anything worries you, reply to this "
            "email or call us.\n\nTo book your review: {{ booking_link }}"
        ),
        body_html=(
            "<p>Dear {{ first_name }},</p><p>Thank you for visiting {{ clinic_name }} for your "
            "{{ treatment }} with {{ practitioner }}. If anything worries you, reply to this "
            'email or call us.</p><p><a href="{{ booking_link }}">Book your review</a></p>'
        ),
    ),
    TemplateInput(
        name="Lines and wrinkles consultation offer",
        channel="sms",
        kind="marketing",
        body_text=(
            "Hi {{ first_name }}, thinking about lines and wrinkles? Book a free anti-wrinkle "
            "consultation with our prescriber at {{ clinic_name }}: {{ booking_link }} "
            "Reply STOP to opt out"
        ),
    ),
]


def _templates(clinic: Clinic) -> None:
    caller = Caller(clinic_id=clinic.pk, role=Role.OWNER)
    for data in DEMO_TEMPLATES:
        if not MessageTemplate.objects.filter(name=data.name, channel=data.channel).exists():
            template_create(caller=caller, data=TemplateInput(**vars(data)))


def _automations(clinic: Clinic) -> None:
    """The built-in recipes, the review and booking links, and reminders for what is ahead."""
    from aescrm.automation import engine, recipes
    from aescrm.automation.models import AutomationSettings, Rule

    if Rule.objects.exists():
        return
    recipes.install_all()
    domain = (clinic.website_domains or [f"{clinic.slug}.example"])[0]
    AutomationSettings.objects.create(
        booking_url=f"https://{domain}/book",
        review_url=f"https://g.page/r/{clinic.slug}-demo/review",
    )
    Rule.objects.filter(recipe="review_request").update(enabled=True)
    now = timezone.now()
    upcoming = Appointment.objects.filter(
        starts_at__gt=now, status__in=(AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)
    ).select_related("patient", "treatment", "practitioner")
    for appointment in upcoming:
        engine.schedule_appointment_times(appointment, now=now)


def seed_demo() -> list[SeededClinic]:
    seeded = []
    for slug, name, domains, patient_count in CLINICS:
        rng = random.Random(f"aescrm-demo-{slug}")  # noqa: S311 - demo data, not security
        with transaction.atomic():
            # History first, automations after: 90 days of past visits should not
            # start today's aftercare and thank-you texts.
            clinic = Clinic.objects.filter(slug=slug).first() or clinic_create(
                name=name, slug=slug, domains=domains, automations=False
            )
            users = _users(clinic)
            with clinic_scope(clinic.pk):
                treatments, practitioners = _catalogue(clinic)
                _patients(clinic, patient_count, rng)
                _appointments(clinic, treatments, practitioners, rng)
                _pipeline(clinic, treatments, rng)
                _ad_spend(clinic, rng)
                _ad_platforms(clinic)
                _templates(clinic)
                _automations(clinic)
                number, token = _messaging(clinic)
                pm_user, pm_password = _mail(clinic)
                seed_assistant(clinic, DEMO_FORWARDING_NUMBERS[slug])
            billing = _billing(clinic)
            ApiKey.objects.filter(
                clinic=clinic, name=DEMO_KEY_NAME, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
            _, secret = api_key_create(
                clinic=clinic, name=DEMO_KEY_NAME, scopes=[s.value for s in Scope]
            )
        seeded.append(
            SeededClinic(
                clinic=clinic,
                api_key=secret,
                users=users,
                twilio_number=number,
                twilio_auth_token=token,
                postmark_webhook_user=pm_user,
                postmark_webhook_password=pm_password,
                stripe_customer_id=billing.stripe_customer_id,
                stripe_subscription_id=billing.stripe_subscription_id,
            )
        )
    refresh_planner_statistics()
    return seeded
