"""Which engine answers a clinic's chat: the embedded one, or a language model with it behind."""

from __future__ import annotations

from aescrm.assistant.engines.base import Engine
from aescrm.assistant.engines.embedded import EmbeddedEngine
from aescrm.assistant.models import AssistantSettings, EngineChoice


def engine_for(settings: AssistantSettings) -> Engine:
    embedded = EmbeddedEngine()
    if settings.engine != EngineChoice.LLM:
        return embedded
    from aescrm.assistant.engines.fallback import FallbackEngine
    from aescrm.assistant.engines.llm import LlmEngine, llm_config

    config = llm_config(settings)
    if config is None:
        return embedded  # chosen but not configured: the clinic still has an assistant
    return FallbackEngine(LlmEngine(config), embedded)
