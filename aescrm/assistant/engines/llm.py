"""The language-model engine: any OpenAI-compatible Chat Completions endpoint.

One turn is a short conversation with the model over plain HTTP (``requests``,
no SDK): the system prompt and the last few turns go up with the tools of
``llm_tools``; while the model asks for tools we run them through ``Tools``
and send the results back as ``role: "tool"`` messages, at most
``MAX_TOOL_ROUNDS`` times; its first plain answer is the reply. The request
and answer shapes are OpenAI's (``choices[0].message.tool_calls[].function``
with JSON-string ``arguments``; ``usage`` token counts).

Anything that goes wrong with the endpoint raises ``EngineFailed`` with a
reason staff may read (never the key), and ``FallbackEngine`` lets the
built-in engine answer that turn instead. Each HTTP call gets the configured
timeout, and the whole turn twice that.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings

from aescrm.assistant.engines.base import EngineReply, Tools, TurnInput
from aescrm.assistant.engines.llm_tools import TOOL_SPECS, ToolRunner, system_prompt
from aescrm.assistant.models import AssistantSettings

MAX_TOOL_ROUNDS = 4
HISTORY_TURNS = 10
# A chat answer is a few kilobytes; anything this big is not one.
MAX_BODY_BYTES = 1_000_000
_ROLES = {"visitor": "user", "assistant": "assistant", "staff": "assistant"}


@dataclass(frozen=True)
class LlmConfig:
    base_url: str  # ends in /v1; "/chat/completions" is added
    model: str
    api_key: str = field(repr=False)  # a secret: kept out of reprs, logs and reasons
    timeout: float  # seconds per HTTP call


def llm_config(settings_row: AssistantSettings | None) -> LlmConfig | None:
    """The clinic's endpoint, model and key, each falling back to the platform's.

    The platform's key goes only to the platform's endpoint: a clinic that
    points at its own endpoint without a key of its own sends none. None when
    no endpoint or no model is configured.
    """
    platform_url = settings.AESCRM_LLM_BASE_URL.strip().rstrip("/")
    clinic_url = clinic_model = clinic_key = ""
    if settings_row is not None:
        clinic_url = settings_row.llm_base_url.strip().rstrip("/")
        clinic_model = settings_row.llm_model.strip()
        clinic_key = str(settings_row.llm_api_key or "").strip()
    base_url = clinic_url or platform_url
    model = clinic_model or settings.AESCRM_LLM_MODEL.strip()
    if not base_url or not model:
        return None
    api_key = clinic_key
    if not api_key and base_url == platform_url:
        api_key = settings.AESCRM_LLM_API_KEY.strip()
    return LlmConfig(base_url, model, api_key, float(settings.AESCRM_LLM_TIMEOUT_SECONDS))


class EngineFailed(Exception):
    """The engine could not answer this turn; the message says why, for staff, without secrets."""

    def __init__(self, reason: str, *, handed_over: bool = False) -> None:
        super().__init__(reason)
        self.handed_over = handed_over  # hand_over had already run when it failed


class LlmEngine:
    name = "llm"
    version = "1"

    def __init__(self, config: LlmConfig) -> None:
        self.config = config

    def reply(self, turn: TurnInput, tools: Tools) -> EngineReply:
        runner = ToolRunner(turn, tools)
        try:
            return self._converse(turn, tools, runner)
        except EngineFailed as exc:
            exc.handed_over = runner.handed_over
            raise

    def _converse(self, turn: TurnInput, tools: Tools, runner: ToolRunner) -> EngineReply:
        deadline = time.monotonic() + 2 * self.config.timeout
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": system_prompt(tools, turn.now)}
        ]
        messages += _history(turn)
        usage: Counter[str] = Counter()
        model = ""
        for round_no in range(MAX_TOOL_ROUNDS + 1):
            answer = self._complete(messages, deadline)
            model = str(answer.get("model") or model)
            _add_usage(usage, answer.get("usage"))
            message = _message(answer)
            calls = _tool_calls(message, round_no)
            if not calls:
                text = message.get("content")
                if not isinstance(text, str) or not text.strip():
                    raise EngineFailed("the model gave an empty answer")
                return self._reply(text.strip(), model, runner, usage)
            if round_no == MAX_TOOL_ROUNDS:
                raise EngineFailed(
                    f"the model still wanted tools after {MAX_TOOL_ROUNDS} rounds in one turn"
                )
            messages.append(
                {"role": "assistant", "content": message.get("content"), "tool_calls": calls}
            )
            for call in calls:
                result = runner.run(call["function"]["name"], call["function"]["arguments"])
                messages.append(
                    {
                        "role": "tool",
                        "tool_call_id": call["id"],
                        "content": json.dumps(result, ensure_ascii=False),
                    }
                )
        raise AssertionError("unreachable: the loop returns or raises")

    def _reply(self, text: str, model: str, runner: ToolRunner, usage: Counter[str]) -> EngineReply:
        docs = list(runner.docs.values())
        return EngineReply(
            text=text,
            intent=runner.intent(text),
            engine=self.name,
            version=self.version,
            model=model or self.config.model,
            quick_replies=[o.label for o in runner.offers],
            knowledge=docs,
            handoff=runner.handed_over,
            allowed_prices={d.price_pence for d in docs if d.price_pence is not None},
            notes={"tool_calls": list(runner.called), "usage": dict(usage)},
        )

    def _complete(self, messages: list[dict[str, Any]], deadline: float) -> dict[str, Any]:
        """One Chat Completions call; the answer as a dict, or EngineFailed."""
        over_budget = EngineFailed(
            f"the model took more than {2 * self.config.timeout:g} seconds for this turn"
        )
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise over_budget
        timeout = min(self.config.timeout, remaining)
        headers = {"Content-Type": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "tools": TOOL_SPECS,
            "tool_choice": "auto",
            "stream": False,
        }
        try:
            response = requests.post(
                f"{self.config.base_url}/chat/completions",
                json=body,
                headers=headers,
                timeout=timeout,
                stream=True,  # read below against the deadline, and capped in size
            )
        except requests.Timeout as exc:
            if timeout < self.config.timeout:
                raise over_budget from exc
            raise EngineFailed(
                f"the model endpoint did not answer within {timeout:g} seconds"
            ) from exc
        except requests.RequestException as exc:
            # requests' messages can carry the URL: name the kind of failure only.
            raise EngineFailed(
                f"the model endpoint could not be reached ({type(exc).__name__})"
            ) from exc
        try:
            raw = _read(response, min(deadline, time.monotonic() + timeout))
        except requests.RequestException as exc:
            raise EngineFailed(
                f"the model endpoint's answer broke off ({type(exc).__name__})"
            ) from exc
        finally:
            response.close()
        if response.status_code == 401:
            raise EngineFailed("the model endpoint refused the API key (HTTP 401)")
        if response.status_code >= 400:
            detail = self._error_detail(raw)
            raise EngineFailed(f"the model endpoint answered HTTP {response.status_code}{detail}")
        try:
            answer = json.loads(raw)
        except ValueError as exc:
            raise EngineFailed("the model endpoint's answer was not valid JSON") from exc
        if not isinstance(answer, dict):
            raise EngineFailed("the model endpoint's answer was not a JSON object")
        return answer

    def _error_detail(self, raw: bytes) -> str:
        try:
            error = json.loads(raw).get("error") or {}
            message = str(error.get("message") or "")
        except (ValueError, AttributeError):
            return ""
        if self.config.api_key:
            message = message.replace(self.config.api_key, "[key]")
        return f": {message[:200]}" if message else ""


def _read(response: requests.Response, until: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise EngineFailed("the model endpoint's answer was too large")
        if time.monotonic() > until:
            raise EngineFailed("the model endpoint was too slow sending its answer")
        chunks.append(chunk)
    return b"".join(chunks)


def _history(turn: TurnInput) -> list[dict[str, Any]]:
    past = list(turn.history)
    if past and past[-1] == ("visitor", turn.message):
        past.pop()  # the caller already added this message to the history
    messages = [
        {"role": _ROLES.get(speaker, "user"), "content": text}
        for speaker, text in past[-HISTORY_TURNS:]
        if text
    ]
    return [*messages, {"role": "user", "content": turn.message}]


def _message(answer: dict[str, Any]) -> dict[str, Any]:
    choices = answer.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise EngineFailed("the model endpoint's answer had no choices")
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise EngineFailed("the model endpoint's answer had no message")
    return message


def _tool_calls(message: dict[str, Any], round_no: int) -> list[dict[str, Any]]:
    """The message's tool calls, in OpenAI's shape (arguments as a JSON string, an id each)."""
    raw = message.get("tool_calls")
    if not raw:
        return []
    if not isinstance(raw, list):
        raise EngineFailed("the model endpoint's tool calls were not a list")
    calls = []
    for index, item in enumerate(raw):
        item = item if isinstance(item, dict) else {}
        function: dict[str, Any] = item.get("function") or {}
        if not isinstance(function, dict):
            function = {}
        arguments = function.get("arguments")
        if not isinstance(arguments, str):
            # Some compatible servers send an object; the runner checks either.
            arguments = json.dumps(arguments) if arguments is not None else "{}"
        call_id = item.get("id")
        calls.append(
            {
                "id": call_id
                if isinstance(call_id, str) and call_id
                else f"call_{round_no}_{index}",
                "type": "function",
                "function": {"name": str(function.get("name") or ""), "arguments": arguments},
            }
        )
    return calls


def _add_usage(total: Counter[str], usage: Any) -> None:
    if isinstance(usage, dict):
        for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
            if isinstance(usage.get(key), int):
                total[key] += usage[key]
