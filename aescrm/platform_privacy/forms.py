"""Forms of the platform register pages; the services check the rules.

Extension, note and completion reuse the clinic register's forms, so both
registers ask the same questions.
"""

from __future__ import annotations

from django import forms

from aescrm.platform_privacy.account_requests import TEXT_MAX
from aescrm.platform_privacy.models import IdentityMethod
from aescrm.privacy.forms import (
    DATE,
    CompleteForm,
    ExtendForm,
    NoteForm,
    RefuseForm,
    WithdrawForm,
)
from aescrm.privacy.models import Kind, ReceivedBy
from aescrm.web.forms import AccessibleForm

__all__ = [
    "CompleteForm",
    "ExtendForm",
    "IdentityForm",
    "NewAccountRequestForm",
    "NoteForm",
    "RefuseForm",
    "WithdrawForm",
]

NO_PERSONAL_DATA = "Stored without encryption: do not paste identity documents or personal data."


class NewAccountRequestForm(AccessibleForm):
    email = forms.EmailField(
        label="Email address of the account",
        max_length=254,
        help_text="The account the request is about.",
    )
    kind = forms.ChoiceField(label="What the person asks for", choices=Kind.choices)
    received_on = forms.DateField(
        label="Received on",
        widget=DATE,
        help_text="The day AES-CRM Ltd received it. The deadline counts from this day.",
    )
    channel = forms.ChoiceField(label="How it arrived", choices=ReceivedBy.choices)
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=TEXT_MAX,
        help_text=NO_PERSONAL_DATA,
        widget=forms.Textarea(attrs={"rows": 3}),
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
    method = forms.ChoiceField(
        label="How it was checked",
        required=False,
        choices=[("", "—"), *IdentityMethod.choices],
        help_text="Required when verified or failed.",
    )
    evidence_note = forms.CharField(
        label="Evidence",
        required=False,
        max_length=TEXT_MAX,
        help_text="What was seen, for an “other” check. " + NO_PERSONAL_DATA,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
