from __future__ import annotations

from django import forms

from aescrm.templating.models import TemplateChannel, TemplateKind
from aescrm.templating.rendering import FIELDS
from aescrm.web.forms import AccessibleForm

_FIELD_LIST = ", ".join(f"{{{{ {f} }}}}" for f in sorted(FIELDS))


class TemplateForm(AccessibleForm):
    name = forms.CharField(label="Name", max_length=120)
    channel = forms.ChoiceField(label="Channel", choices=TemplateChannel.choices)
    kind = forms.ChoiceField(
        label="Kind",
        choices=TemplateKind.choices,
        help_text=(
            "Marketing may not name a prescription-only medicine, and must offer a way to "
            "opt out (STOP in an SMS, {{ unsubscribe_link }} in an email)."
        ),
    )
    subject = forms.CharField(label="Subject (email)", max_length=200, required=False)
    body_text = forms.CharField(
        label="Message text",
        help_text=f"Merge fields: {_FIELD_LIST}.",
        widget=forms.Textarea(attrs={"rows": 6, "data-sms-counter": "sms-counter"}),
    )
    body_html = forms.CharField(
        label="HTML body (email)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    active = forms.BooleanField(label="Active", required=False, initial=True)
