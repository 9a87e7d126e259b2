from __future__ import annotations

from django import forms

from aescrm.reports.attribution import DEFAULT_MODEL
from aescrm.web.forms import AccessibleForm


class ReportFilterForm(AccessibleForm):
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    group_by = forms.ChoiceField(
        label="Group by",
        required=False,
        choices=[
            ("source", "Source / medium"),
            ("campaign", "Campaign"),
            ("keyword", "Keyword"),
        ],
    )
    model = forms.ChoiceField(
        label="Credit",
        required=False,
        choices=[("last_touch", "Last touch"), ("first_touch", "First touch")],
        initial=DEFAULT_MODEL,
    )


class SpendUploadForm(AccessibleForm):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "A Google Ads campaign report segmented by day, a Meta Ads Manager export with the "
            "Day breakdown, or a file with the columns date, source, campaign, spend (in pounds)."
        ),
    )
    source = forms.CharField(
        label="Source",
        required=False,
        max_length=255,
        help_text=(
            "The utm_source your ads use. Left empty: google for Google Ads, facebook for Meta. "
            "The plain layout has its own source column."
        ),
    )
    medium = forms.CharField(
        label="Medium",
        required=False,
        max_length=255,
        help_text=(
            "The utm_medium your ads use. Left empty: cpc for Google Ads, paid_social for Meta."
        ),
    )
