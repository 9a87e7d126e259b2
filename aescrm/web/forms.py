from __future__ import annotations

from typing import Any

from django import forms

from aescrm.core.problems import DomainError


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


# ---------------------------------------------------------------------------
# Staff pages
# ---------------------------------------------------------------------------


class AccessibleForm(forms.Form):
    """Ties hints and errors to their inputs (aria-describedby, aria-invalid)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    described.append(f"id_{name}_helptext")
                widget.attrs["aria-describedby"] = " ".join(described)
                widget.attrs["aria-invalid"] = "true"

    def add_domain_error(self, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
        """Show a service's error against the form field it names, or above the form."""
        field = (aliases or {}).get(exc.field or "", exc.field)
        detail = exc.detail[:1].upper() + exc.detail[1:]
        self.add_error(field if field in self.fields else None, detail)


class PatientSearchForm(AccessibleForm):
    q = forms.CharField(
        label="Search patients",
        required=False,
        max_length=100,
        help_text="Part of a name, an email address or a phone number.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def measurement_wording(clinic_name: str) -> str:
    """The question put to the patient about ad-platform measurement; recorded with the answer."""
    return (
        f"May {clinic_name} tell Google and Meta, in scrambled form, that you enquired, booked "
        "or attended, so that it can see which of its adverts work? You can change your mind "
        "at any time."
    )


def consent_wording(clinic_name: str) -> str:
    """The statement shown next to the consent boxes; it is recorded with every change."""
    return (
        f"{clinic_name} would like to send you news and offers about our treatments. "
        "Tick each way you are happy to hear from us: text message, email, phone. "
        "You can change your mind at any time."
    )


class PatientForm(AccessibleForm):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.CharField(
        label="Email address",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        help_text="A UK number such as 07700 900461, or an international number starting with +.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    address = forms.CharField(
        label="Address", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent_sms = forms.BooleanField(label="Text message (SMS)", required=False)
    consent_email = forms.BooleanField(label="Email", required=False)
    consent_phone = forms.BooleanField(label="Phone call", required=False)
    # Shown only after the suppression list matched (aescrm.erasure.suppression).
    confirm_erased = forms.BooleanField(
        label="This person got in touch again and asked to be added back",
        required=False,
    )

    CONSENT_FIELDS = ("consent_sms", "consent_email", "consent_phone")
    ALIASES = {"consent": "consent_sms"}

    def __init__(self, *args: Any, show_notes: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_notes:
            del self.fields["notes"]

    def consent(self) -> dict[str, bool]:
        return {
            name.removeprefix("consent_"): self.cleaned_data[name] for name in self.CONSENT_FIELDS
        }


class NoteForm(AccessibleForm):
    body = forms.CharField(
        label="Add a note",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note before saving it."},
    )


class TreatmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.duration_minutes} min, £{obj.price_pence / 100:,.2f})"


class BookingForm(AccessibleForm):
    patient = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"required": "Choose a patient."}
    )
    treatment = TreatmentChoiceField(
        label="Treatment",
        queryset=None,
        empty_label="Choose a treatment",
        error_messages={"required": "Choose a treatment."},
    )
    practitioner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Practitioner",
        queryset=None,
        empty_label="Choose a practitioner",
        error_messages={"required": "Choose a practitioner."},
    )
    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."},
    )
    start_time = forms.TimeField(
        label="Start time",
        help_text="Clinic time, 24-hour clock, e.g. 14:30.",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": "Enter the start time.", "invalid": "Enter a time like 14:30."},
    )

    override = forms.BooleanField(
        label="Book anyway, setting the booking rules aside",
        required=False,
        help_text="Only for a time in the past, outside hours or on a closed day; "
        "never over another appointment.",
    )
    override_reason = forms.CharField(
        label="Why the rules are set aside",
        required=False,
        max_length=500,
        help_text="Kept with the appointment and in the audit trail.",
    )

    ALIASES = {"starts_at": "start_time", "ends_at": "start_time"}

    def __init__(
        self,
        *args: Any,
        treatments: Any = None,
        practitioners: Any = None,
        may_override: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Querysets come from the view, inside the clinic's scope, never at import time.
        self.fields["treatment"].queryset = treatments  # type: ignore[attr-defined]
        self.fields["practitioner"].queryset = practitioners  # type: ignore[attr-defined]
        if not may_override:
            del self.fields["override"]
            del self.fields["override_reason"]


class MoveForm(AccessibleForm):
    """Reschedule: a new date, start time and (optionally) practitioner, in clinic time."""

    practitioner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Practitioner", queryset=None, required=False, empty_label="Keep the same"
    )
    date = forms.DateField(
        label="New date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."},
    )
    start_time = forms.TimeField(
        label="New start time",
        help_text="Clinic time, 24-hour clock, e.g. 14:30.",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": "Enter the start time.", "invalid": "Enter a time like 14:30."},
    )
    override = BookingForm.base_fields["override"]
    override_reason = BookingForm.base_fields["override_reason"]

    ALIASES = BookingForm.ALIASES

    def __init__(
        self, *args: Any, practitioners: Any = None, may_override: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = practitioners  # type: ignore[attr-defined]
        if not may_override:
            del self.fields["override"]
            del self.fields["override_reason"]


STATUS_CHOICES = [
    ("attended", "Attended"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
]


class AppointmentStatusForm(AccessibleForm):
    status = forms.ChoiceField(label="New status", choices=STATUS_CHOICES)
    cancellation_reason = forms.CharField(
        label="Reason for cancelling", required=False, max_length=200
    )


class AuditFilterForm(AccessibleForm):
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=64,
        help_text="e.g. patient.read, or patient. for every patient action.",
    )
    object_id = forms.CharField(label="Object id", required=False, max_length=64)
    actor = forms.CharField(
        label="Actor", required=False, max_length=254, help_text="Part of an email or key name."
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ApiKeyForm(AccessibleForm):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="Say what uses the key, e.g. “Website booking form”.",
        error_messages={"required": "Give the key a name."},
    )
    scopes = forms.MultipleChoiceField(
        label="What the key may do",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the key may do."},
    )

    def __init__(self, *args: Any, scope_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices  # type: ignore[attr-defined]


class WebsiteForm(AccessibleForm):
    website_domains = forms.CharField(
        label="Your website addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, e.g. www.yourclinic.co.uk. Only these sites may send "
        "enquiries through the widget.",
    )
    thank_you_url = forms.CharField(
        label="Thank-you page",
        required=False,
        max_length=500,
        help_text="Where a visitor goes after sending the form without JavaScript, e.g. "
        "https://www.yourclinic.co.uk/thank-you. Leave empty for our plain page.",
    )


class SignupForm(AccessibleForm):
    full_name = forms.CharField(
        label="Your full name",
        error_messages={"required": "Enter your full name"},
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label="Email address",
        error_messages={"required": "Enter your email address"},
        max_length=254,
        help_text="We send a link to this address to confirm it is yours.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        error_messages={"required": "Choose a password"},
        strip=False,
        help_text="At least 12 characters; a phrase of several words is easy to remember.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    clinic_name = forms.CharField(
        label="Your clinic's name",
        error_messages={"required": "Enter your clinic's name"},
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    # A field people never see: bots fill every field they find.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class ClinicDetailsForm(AccessibleForm):
    name = forms.CharField(
        label="Clinic name",
        max_length=200,
        error_messages={"required": "Enter the clinic's name"},
    )
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="Appointments, reminders and reports use this clock.",
        widget=forms.Select(),
    )
    website_domains = forms.CharField(
        label="Your website addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, e.g. www.yourclinic.co.uk. Only these sites may use the widget.",
    )

    def __init__(
        self, *args: Any, timezones: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].widget.choices = timezones
