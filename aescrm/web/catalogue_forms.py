"""Forms of Settings → Treatments and Settings → Practitioners.

Numbers and the price arrive as text: the catalogue services check them and
say what is wrong in words (``aescrm.patients.catalogue``).
"""

from __future__ import annotations

from typing import Any

from django import forms

from aescrm.patients.models import Practitioner, Treatment
from aescrm.web.forms import AccessibleForm


def _number(label: str, help_text: str = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=12,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "short", **attrs}),
    )


class TreatmentForm(AccessibleForm):
    name = forms.CharField(label="Name", max_length=200)
    category = forms.CharField(
        label="Category",
        max_length=200,
        required=False,
        help_text="Groups treatments on the booking form, e.g. Dental or Injectables.",
    )
    duration_minutes = _number("Length in minutes", "5 to 600 minutes.")
    price = forms.CharField(
        label="Price",
        max_length=20,
        help_text="In pounds, e.g. £250 or 249.99.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "short"}),
    )
    buffer_before_minutes = _number("Minutes kept free before", "Setting up: 0 to 240 minutes.")
    buffer_after_minutes = _number("Minutes kept free after", "Clearing away: 0 to 240 minutes.")
    prescription_medicine = forms.BooleanField(
        label="Prescription-only medicine (never advertised to the public)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("buffer_before_minutes", "buffer_after_minutes"):
            self.fields[name].required = False

    @staticmethod
    def initial_of(treatment: Treatment) -> dict[str, Any]:
        pounds, pence = divmod(treatment.price_pence, 100)
        return {
            "name": treatment.name,
            "category": treatment.category,
            "duration_minutes": treatment.duration_minutes,
            "price": f"{pounds}.{pence:02d}" if pence else str(pounds),
            "buffer_before_minutes": treatment.buffer_before_minutes,
            "buffer_after_minutes": treatment.buffer_after_minutes,
            "prescription_medicine": treatment.prescription_medicine,
        }


class PractitionerForm(AccessibleForm):
    display_name = forms.CharField(
        label="Name shown", max_length=200, help_text="As patients see it, e.g. Dr Priya Shah."
    )
    profession = forms.CharField(
        label="Profession", max_length=200, required=False, help_text="e.g. Dentist or Nurse."
    )
    registration = forms.CharField(
        label="Registration number",
        max_length=200,
        required=False,
        help_text="e.g. their GDC, GMC or NMC number.",
    )
    user = forms.ChoiceField(
        label="Signs in as",
        required=False,
        help_text="Link a member of your team so they see their own diary and patients.",
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ChoiceField)
        user.choices = [("", "Nobody (not linked)")] + [
            (str(u.pk), f"{u.full_name} ({u.email})" if u.full_name else u.email) for u in members
        ]

    @staticmethod
    def initial_of(practitioner: Practitioner) -> dict[str, Any]:
        return {
            "display_name": practitioner.display_name,
            "profession": practitioner.profession,
            "registration": practitioner.registration,
            "user": str(practitioner.user_id) if practitioner.user_id else "",
        }
