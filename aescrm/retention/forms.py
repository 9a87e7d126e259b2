from __future__ import annotations

from django import forms

from aescrm.retention.services import MAX_REASON
from aescrm.web.forms import AccessibleForm


class HoldForm(AccessibleForm):
    reason = forms.CharField(
        label="Why the data must be kept",
        max_length=MAX_REASON,
        help_text="For example the claim, complaint or inquiry. Kept encrypted with the hold.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LiftForm(AccessibleForm):
    lift_reason = forms.CharField(
        label="Why the hold can be lifted",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PolicyForm(AccessibleForm):
    months = forms.IntegerField(label="Keep for (months)", min_value=1, max_value=1200)
