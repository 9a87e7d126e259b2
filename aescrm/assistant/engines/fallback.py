"""One engine answers; if it fails, another answers the same turn instead.

The chat uses it to put the language model in front of the built-in engine:
an endpoint that is down, slow or refusing the key costs the visitor nothing
but the wait, and the turn's notes say what happened for staff.
"""

from __future__ import annotations

import requests

from aescrm.assistant.engines.base import Engine, EngineReply, Tools, TurnInput
from aescrm.assistant.engines.llm import EngineFailed


class FallbackEngine:
    """``name`` and ``version`` are those of the engine that answered the last turn.

    Read ``EngineReply.engine`` / ``.version`` for the turn itself.
    """

    def __init__(self, primary: Engine, fallback: Engine) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name
        self.version = primary.version

    def reply(self, turn: TurnInput, tools: Tools) -> EngineReply:
        try:
            answer = self.primary.reply(turn, tools)
            engine: Engine = self.primary
        except (EngineFailed, requests.RequestException) as exc:
            answer = self.fallback.reply(turn, tools)
            engine = self.fallback
            answer.notes["fallback_from"] = self.primary.name
            answer.notes["fallback_reason"] = (
                str(exc)
                if isinstance(exc, EngineFailed)
                else (f"the model endpoint could not be reached ({type(exc).__name__})")
            )
            if isinstance(exc, EngineFailed) and exc.handed_over:
                answer.handoff = True  # the team was already asked to take over this turn
        self.name, self.version = engine.name, engine.version
        return answer
