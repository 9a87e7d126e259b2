"""Forms of the inbox pages: they parse and label; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from aescrm.inbox.bulk import Audience, BulkSpec
from aescrm.inbox.models import CannedChannel
from aescrm.inbox.selectors import InboxFilter
from aescrm.inbox.staff import name_of
from aescrm.messaging.models import Channel
from aescrm.messaging.services import BODY_MAX
from aescrm.patients.models import Stage
from aescrm.web.forms import AccessibleForm

REPLY_CHANNELS = [("sms", "SMS"), ("email", "Email")]


class InboxFilterForm(AccessibleForm):
    channel = forms.ChoiceField(
        label="Channel", required=False, choices=[("", "All channels"), *Channel.choices]
    )
    assigned = forms.ChoiceField(label="Assigned to", required=False)
    unread = forms.BooleanField(label="Unread only", required=False)
    awaiting = forms.BooleanField(label="Awaiting reply", required=False)

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone or nobody"),
            ("me", "Me"),
            ("none", "Nobody"),
            *[(str(user.pk), name_of(user)) for user in members],
        ]

    def chosen(self) -> InboxFilter:
        if not self.is_valid():
            return InboxFilter()
        data = self.cleaned_data
        return InboxFilter(
            channel=data["channel"],
            assigned=data["assigned"],
            unread=data["unread"],
            awaiting=data["awaiting"],
        )


class _OwnIds(AccessibleForm):
    """Element ids start with ``id_prefix`` so two forms on one page never share an id."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self._fix_described_by()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._fix_described_by()

    def _fix_described_by(self) -> None:
        for field in self.fields.values():
            described = field.widget.attrs.get("aria-describedby")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(
                    f"{self.id_prefix}_{part.removeprefix('id_')}"
                    if part.startswith("id_")
                    else part
                    for part in described.split()
                )


class ReplyForm(_OwnIds):
    id_prefix = "reply"
    channel = forms.ChoiceField(
        label="Reply by",
        choices=REPLY_CHANNELS,
        error_messages={"required": "Choose how to reply: SMS or email."},
    )
    body = forms.CharField(
        label="Your reply",
        required=False,
        strip=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "data-sms-counter": "sms-counter"}),
    )


class NoteForm(_OwnIds):
    id_prefix = "note"
    body = forms.CharField(
        label="Internal note",
        max_length=5000,
        help_text="Only colleagues see it; it is never sent to the patient.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the note before saving it."},
    )


class CannedReplyForm(AccessibleForm):
    title = forms.CharField(label="Title", max_length=120)
    channel = forms.ChoiceField(label="For", choices=CannedChannel.choices, initial="any")
    body = forms.CharField(
        label="Reply",
        max_length=BODY_MAX,
        help_text="You may use {{ first_name }} and {{ clinic_name }}.",
        widget=forms.Textarea(attrs={"rows": 4, "data-sms-counter": "sms-counter"}),
    )


KIND_CHOICES = [
    ("marketing", "Marketing — only patients who consented on this channel"),
    ("service", "Service — about the patient's own care (no consent needed)"),
]


class BulkForm(AccessibleForm):
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *Stage.choices]
    )
    tag = forms.CharField(label="Tag", required=False, max_length=60)
    treatment: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Treatment of interest",
        required=False,
        queryset=None,
        empty_label="Any treatment",
        help_text="Patients who enquired about it.",
    )
    last_visit_before = forms.DateField(
        label="Last visit before",
        required=False,
        help_text="Patients whose last attended appointment was before this day.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Enter a real date."},
    )
    channel = forms.ChoiceField(label="Send by", choices=REPLY_CHANNELS, initial="sms")
    kind = forms.ChoiceField(label="Kind", choices=KIND_CHOICES, initial="marketing")
    template: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Template",
        required=False,
        queryset=None,
        empty_label="No template: write the message below",
    )
    subject = forms.CharField(label="Subject (email)", required=False, max_length=200)
    body = forms.CharField(
        label="Message",
        required=False,
        max_length=BODY_MAX,
        help_text="You may use {{ first_name }} and {{ clinic_name }}. A marketing SMS must "
        "say how to opt out, e.g. 'Reply STOP to opt out'.",
        widget=forms.Textarea(attrs={"rows": 5, "data-sms-counter": "sms-counter"}),
    )

    ALIASES = {"body_text": "body", "body_html": "template"}

    def __init__(self, *args: Any, treatments: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Querysets come from the view, inside the clinic's scope, never at import time.
        self.fields["treatment"].queryset = treatments  # type: ignore[attr-defined]
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]

    def spec(self) -> BulkSpec:
        data = self.cleaned_data
        return BulkSpec(
            audience=Audience(
                stage=data["stage"],
                tag=data["tag"].strip(),
                treatment_id=data["treatment"].pk if data["treatment"] else None,
                last_visit_before=data["last_visit_before"],
            ),
            channel=data["channel"],
            kind=data["kind"],
            template_id=data["template"].pk if data["template"] else None,
            body=data["body"],
            subject=data["subject"],
        )
