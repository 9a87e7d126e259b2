from __future__ import annotations

from typing import Any

from django import forms

from aescrm.erasure.models import ErasureReason
from aescrm.web.forms import AccessibleForm

CONFIRM_WORD = "ERASE"


class ErasureForm(AccessibleForm):
    reason = forms.ChoiceField(
        label="Why is this person's data being erased?", choices=ErasureReason.choices
    )
    confirm = forms.CharField(
        label="To confirm, type the person's full name or the word ERASE",
        max_length=250,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, full_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full_name = full_name

    def clean_confirm(self) -> str:
        typed = " ".join(self.cleaned_data["confirm"].split())
        wanted = {CONFIRM_WORD.casefold()}
        if self.full_name.strip():
            wanted.add(" ".join(self.full_name.split()).casefold())
        if typed.casefold() not in wanted:
            raise forms.ValidationError(
                "Type the person's full name exactly as shown, or the word ERASE"
            )
        return typed
