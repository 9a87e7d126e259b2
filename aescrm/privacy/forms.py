"""Forms of the privacy register pages. The services check the rules; these only read input."""

from __future__ import annotations

from django import forms

from aescrm.privacy.models import Kind, ReceivedBy
from aescrm.web.forms import AccessibleForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: str, *, required: bool = True, rows: int = 3, help_text: str = "") -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class NewRequestForm(AccessibleForm):
    kind = forms.ChoiceField(label="What the person asks for", choices=Kind.choices)
    received_on = forms.DateField(
        label="Received on",
        widget=DATE,
        help_text="The day the clinic received it. The deadline counts from this day.",
    )
    channel = forms.ChoiceField(label="How it arrived", choices=ReceivedBy.choices)
    requester_details = forms.CharField(
        label="Who made the request",
        required=False,
        max_length=2000,
        help_text=(
            "Name and how to reach them, and whether they act for someone else. "
            "Required when no patient is chosen."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = _text("Notes", required=False)
    patient = forms.UUIDField(required=False, widget=forms.HiddenInput)


class PatientFindForm(AccessibleForm):
    q = forms.CharField(
        label="Find the patient",
        required=False,
        max_length=100,
        help_text="Part of a name, an email address or a phone number.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class IdentityForm(AccessibleForm):
    result = forms.ChoiceField(
        label="Identity check",
        choices=[
            ("evidence_requested", "Evidence requested"),
            ("verified", "Identity verified"),
            ("failed", "Check failed"),
        ],
        widget=forms.RadioSelect,
    )
    evidence_note = _text(
        "Evidence",
        required=False,
        help_text="What was asked for or seen (e.g. “known patient, called back on the number "
        "on file”). Required when verified or failed.",
    )


class ExtendForm(AccessibleForm):
    months = forms.TypedChoiceField(
        label="Extend by",
        coerce=int,
        choices=[(1, "One further month"), (2, "Two further months")],
        help_text="Beyond the original due date; at most two further months in all.",
    )
    reason = _text("Why the extension is needed", help_text="Complex or numerous requests only.")
    person_told_on = forms.DateField(
        label="Date the person was told",
        required=False,
        widget=DATE,
        help_text="They must be told, with the reason, within one month of receipt.",
    )


class NoteForm(AccessibleForm):
    body = _text("Add a note")


class CompleteForm(AccessibleForm):
    outcome = _text("What was done", rows=4)


class RefuseForm(AccessibleForm):
    reason = _text("Why the request is refused", help_text="The person must be told why.")


class WithdrawForm(AccessibleForm):
    note = _text("How the person withdrew it", required=False, rows=2)
