from __future__ import annotations

from django import forms

from aescrm.web.forms import AccessibleForm


class LinksForm(AccessibleForm):
    booking_url = forms.CharField(
        label="Booking link",
        required=False,
        max_length=500,
        help_text="Where {{ booking_link }} in a template points: your online booking page "
        "(https://…).",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )
    review_url = forms.CharField(
        label="Review link",
        required=False,
        max_length=500,
        help_text="Where {{ review_link }} points, e.g. your Google review page (https://…). "
        "The review request stays off until this is set.",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )
