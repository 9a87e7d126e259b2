"""Forms of Settings → Team and of the invitation link."""

from __future__ import annotations

from typing import Any

from django import forms

from aescrm.accounts.permissions import Role
from aescrm.web.forms import AccessibleForm

ROLE_HINTS = {
    Role.OWNER: "Everything, including the clinic's settings, billing and its owners.",
    Role.MANAGER: "Runs the practice: patients, diary, messages, reports, team and privacy.",
    Role.CLINICIAN: "Their own patients, notes and diary.",
    Role.RECEPTIONIST: "Patients, enquiries, the diary and messages.",
    Role.MARKETER: "Enquiries, campaigns and reports; no clinical notes or message bodies.",
    Role.AUDITOR: "Reads the audit log, reports and the privacy register; changes nothing.",
}


def role_choices(*, include_owner: bool) -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in Role if include_owner or r != Role.OWNER]


class InviteForm(AccessibleForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(label="Role", choices=())

    def __init__(self, *args: Any, include_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = role_choices(include_owner=include_owner)
        role.initial = Role.RECEPTIONIST.value


class RoleForm(AccessibleForm):
    role = forms.ChoiceField(label="Role", choices=[(r.value, r.label) for r in Role])


class AcceptForm(AccessibleForm):
    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text="At least 12 characters. A few unrelated words make a strong one.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
