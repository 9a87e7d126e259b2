"""Staff forms for the assistant's settings and knowledge; the services do the checking."""

from __future__ import annotations

from typing import Any

from django import forms

from aescrm.assistant.knowledge import (
    ANSWER_MAX,
    KEYWORDS_MAX,
    TITLE_MAX,
    WRITABLE_KINDS,
    KnowledgeInput,
    SettingsInput,
)
from aescrm.assistant.models import AssistantSettings, BookingMode, EngineChoice, KnowledgeKind
from aescrm.web.forms import AccessibleForm

_URL = {"spellcheck": "false", "autocomplete": "off"}


class AssistantSettingsForm(AccessibleForm):
    enabled = forms.BooleanField(label="Show the assistant on your website", required=False)
    assistant_name = forms.CharField(
        label="Assistant’s name",
        max_length=60,
        error_messages={"required": "Give the assistant a name."},
    )
    colour = forms.CharField(
        label="Colour",
        max_length=7,
        help_text="The chat button and header, as #rrggbb.",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"required": "Choose a colour like #0f5c6e."},
    )
    greeting = forms.CharField(
        label="Greeting",
        required=False,
        max_length=300,
        help_text="The first thing the assistant says. Leave empty for our standard greeting.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    privacy_notice_url = forms.CharField(
        label="Privacy notice",
        required=False,
        max_length=500,
        help_text="The address of your privacy notice (https://…), linked from the chat.",
        widget=forms.URLInput(attrs=_URL),
    )
    urgent_phone = forms.CharField(
        label="Urgent phone number",
        required=False,
        max_length=40,
        help_text="Given to visitors who describe an emergency, with 999 and NHS 111.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    booking_mode = forms.ChoiceField(
        label="When a visitor chooses a time",
        choices=BookingMode.choices,
        widget=forms.RadioSelect,
    )
    engine = forms.ChoiceField(
        label="How the assistant understands visitors",
        choices=EngineChoice.choices,
        widget=forms.RadioSelect,
    )
    llm_base_url = forms.CharField(
        label="Language model address",
        required=False,
        max_length=300,
        help_text="An OpenAI-compatible endpoint, e.g. https://llm.example.com/v1. "
        "Leave empty for the platform’s.",
        widget=forms.URLInput(attrs=_URL),
    )
    llm_model = forms.CharField(
        label="Model name",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=_URL),
    )
    llm_api_key = forms.CharField(
        label="API key",
        required=False,
        max_length=500,
        strip=True,
        help_text="Never shown again once saved. Leave empty to keep the stored key.",
        # Write-only: the stored key never goes back to the browser.
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    clear_llm_api_key = forms.BooleanField(label="Remove the stored API key", required=False)

    @classmethod
    def initial_from(cls, row: AssistantSettings) -> dict[str, Any]:
        return {
            name: getattr(row, name)
            for name in cls.base_fields
            if name not in ("llm_api_key", "clear_llm_api_key")
        }

    def read_only(self) -> None:
        for field in self.fields.values():
            field.disabled = True

    def to_input(self) -> SettingsInput:
        return SettingsInput(**{name: self.cleaned_data[name] for name in self.fields})


class KnowledgeForm(AccessibleForm):
    kind = forms.ChoiceField(
        label="Kind",
        choices=[(k, label) for k, label in KnowledgeKind.choices if k in WRITABLE_KINDS],
    )
    title = forms.CharField(
        label="Question or title",
        max_length=TITLE_MAX,
        error_messages={"required": "Enter the question or a title."},
        help_text="As a visitor would ask it, e.g. “Is there parking?”",
    )
    answer = forms.CharField(
        label="Answer",
        error_messages={"required": "Enter the answer."},
        max_length=ANSWER_MAX,
        help_text="What the assistant says, in your clinic’s words. Never name a "
        "prescription-only medicine.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    keywords = forms.CharField(
        label="Other words visitors use",
        required=False,
        max_length=KEYWORDS_MAX,
        help_text="Comma separated, e.g. car park, parking, where to park.",
    )
    active = forms.BooleanField(label="The assistant may use this", required=False)

    def __init__(self, *args: Any, treatment_item: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if treatment_item:
            # Its kind is fixed and its title is the treatment's name.
            del self.fields["kind"]
            del self.fields["title"]

    def to_input(self) -> KnowledgeInput:
        data = self.cleaned_data
        return KnowledgeInput(
            kind=data.get("kind", KnowledgeKind.TREATMENT.value),
            title=data.get("title", ""),
            answer=data["answer"],
            keywords=data["keywords"],
            active=data["active"],
        )
