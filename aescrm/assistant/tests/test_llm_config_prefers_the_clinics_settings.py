"""The clinic's endpoint, model and key override the platform's, field by field."""

from __future__ import annotations

from typing import Any

from aescrm.assistant.engines.llm import llm_config
from aescrm.assistant.models import AssistantSettings

PLATFORM = "https://llm.platform.example/v1"


def platform(settings: Any, **overrides: Any) -> None:
    settings.AESCRM_LLM_BASE_URL = overrides.get("url", PLATFORM)
    settings.AESCRM_LLM_MODEL = overrides.get("model", "platform-model")
    settings.AESCRM_LLM_API_KEY = overrides.get("key", "sk-platform")
    settings.AESCRM_LLM_TIMEOUT_SECONDS = 8


def test_the_platforms_settings_apply_when_the_clinic_has_none(settings: Any) -> None:
    platform(settings)
    config = llm_config(AssistantSettings())
    assert config is not None
    assert (config.base_url, config.model, config.api_key, config.timeout) == (
        PLATFORM,
        "platform-model",
        "sk-platform",
        8.0,
    )
    assert llm_config(None) == config


def test_the_clinics_settings_win_field_by_field(settings: Any) -> None:
    platform(settings)
    own_model = llm_config(AssistantSettings(llm_model="clinic-model"))
    own_key = llm_config(AssistantSettings(llm_api_key="sk-clinic"))
    everything = llm_config(
        AssistantSettings(
            llm_base_url="https://llm.clinic.example/v1/",
            llm_model="clinic-model",
            llm_api_key="sk-clinic",
        )
    )

    assert own_model is not None and own_key is not None and everything is not None
    assert (own_model.base_url, own_model.model, own_model.api_key) == (
        PLATFORM,
        "clinic-model",
        "sk-platform",
    )
    assert (own_key.model, own_key.api_key) == ("platform-model", "sk-clinic")
    assert (everything.base_url, everything.model, everything.api_key) == (
        "https://llm.clinic.example/v1",
        "clinic-model",
        "sk-clinic",
    )
    assert "sk-clinic" not in repr(everything)


def test_the_platforms_key_never_goes_to_a_clinics_own_endpoint(settings: Any) -> None:
    platform(settings)
    config = llm_config(AssistantSettings(llm_base_url="http://127.0.0.1:11434/v1"))
    assert config is not None
    assert (config.base_url, config.model, config.api_key) == (
        "http://127.0.0.1:11434/v1",
        "platform-model",
        "",
    )


def test_there_is_no_model_to_ask_without_an_endpoint_and_a_model(settings: Any) -> None:
    platform(settings, url="", model="")
    assert llm_config(None) is None
    assert llm_config(AssistantSettings(llm_model="clinic-model")) is None
    assert llm_config(AssistantSettings(llm_base_url="https://llm.clinic.example/v1")) is None
    assert (
        llm_config(AssistantSettings(llm_base_url="https://llm.clinic.example/v1", llm_model="m"))
        is not None
    )
