"""A fake OpenAI-compatible Chat Completions API: ``POST /v1/chat/completions``.

The engine's base URL is ``api_base`` (it ends in ``/v1``, as OpenAI's and
most compatible servers' do). Each request takes the next answer from a
script the test writes with ``then_*``: plain content, tool calls, an error
with a status code (OpenAI's ``{"error": {"message", "type", "param",
"code"}}`` envelope), a slow answer (sleeps before answering, to trigger the
client's timeout), a malformed body, or a hang-up. A script item may also be a
function of the request's JSON, for answers built from the tool results the
client sent back. With the script empty the fake answers 500.

Requests are recorded (``requests``, and ``bodies()`` for their JSON) so tests
can check the ``Authorization`` header, the tools offered and the
``role: "tool"`` messages with their ``tool_call_id``. ``api_key`` (None: any)
is the only key accepted; others get 401 worded as OpenAI words it.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aescrm.testing.fakes.base import Answer, FakeServer, RawAnswer, Recorded

API_KEY = "sk-fake-openai-key-0001"
MODEL = "fake-gpt-1"
_IDS = itertools.count(1)

Script = Callable[[dict[str, Any]], Answer | RawAnswer | None]


@dataclass
class _Item:
    make: Script
    delay: float = 0.0


def _error(status: int, message: str, kind: str, code: str | None = None) -> Answer:
    return status, {"error": {"message": message, "type": kind, "param": None, "code": code}}


def completion(message: dict[str, Any], *, model: str = MODEL, finish: str = "stop") -> Answer:
    """A chat.completion object with one choice holding ``message``."""
    return 200, {
        "id": f"chatcmpl-fake{next(_IDS)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def content(text: str, *, model: str = MODEL) -> Answer:
    return completion({"role": "assistant", "content": text, "refusal": None}, model=model)


def tool_calls(*calls: tuple[str, dict[str, Any] | str], model: str = MODEL) -> Answer:
    """The model asks for tools: ``(name, arguments)``; a str is sent as the raw arguments."""
    items = [
        {
            "id": f"call_fake{next(_IDS)}",
            "type": "function",
            "function": {
                "name": name,
                "arguments": args if isinstance(args, str) else json.dumps(args),
            },
        }
        for name, args in calls
    ]
    message = {"role": "assistant", "content": None, "tool_calls": items}
    return completion(message, model=model, finish="tool_calls")


def tool_messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``role: "tool"`` messages in a request body."""
    return [m for m in body.get("messages") or [] if m.get("role") == "tool"]


class FakeOpenAI(FakeServer):
    def __init__(self, *, api_key: str | None = API_KEY) -> None:
        super().__init__()
        self.api_key = api_key
        self.script: deque[_Item] = deque()

    @property
    def api_base(self) -> str:
        return f"{self.origin}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.start()
        return self

    # The script, in the order the client will ask.
    def then(self, make: Script, *, delay: float = 0.0) -> FakeOpenAI:
        self.script.append(_Item(make, delay))
        return self

    def then_content(self, text: str, *, model: str = MODEL) -> FakeOpenAI:
        return self.then(lambda _body: content(text, model=model))

    def then_tool_calls(self, *calls: tuple[str, dict[str, Any] | str]) -> FakeOpenAI:
        answer = tool_calls(*calls)
        return self.then(lambda _body: answer)

    def then_error(self, status: int, message: str = "The server had an error") -> FakeOpenAI:
        kind = "invalid_request_error" if status < 500 else "server_error"
        return self.then(lambda _body: _error(status, message, kind))

    def then_slow(self, seconds: float, text: str = "Too late") -> FakeOpenAI:
        return self.then(lambda _body: content(text), delay=seconds)

    def then_raw(self, payload: bytes, status: int = 200) -> FakeOpenAI:
        return self.then(lambda _body: (status, payload))

    def then_hang_up(self) -> FakeOpenAI:
        return self.then(lambda _body: None)

    # What the client sent.
    def bodies(self) -> list[dict[str, Any]]:
        return [r.json for r in self.requests if isinstance(r.json, dict)]

    def handle(self, request: Recorded) -> Answer | RawAnswer | None:
        with self.lock:
            self.requests.append(request)
            refusal = self._refusal(request)
            item = None if refusal else (self.script.popleft() if self.script else None)
        if refusal:
            return refusal
        if item is None:
            return _error(500, "The fake has no scripted answer left", "server_error")
        if item.delay:
            time.sleep(item.delay)  # outside the lock: other requests are not held up
        return item.make(request.json if isinstance(request.json, dict) else {})

    def _refusal(self, request: Recorded) -> Answer | None:
        if request.method != "POST" or request.path != "/v1/chat/completions":
            return _error(
                404,
                f"Unknown request URL: {request.method} {request.path}",
                "invalid_request_error",
            )
        given = request.headers.get("authorization", "")
        if self.api_key is not None and given != f"Bearer {self.api_key}":
            return _error(
                401,
                "Incorrect API key provided: sk-wro***. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                "invalid_api_key",
            )
        if not isinstance(request.json, dict) or "messages" not in request.json:
            return _error(
                400, "We could not parse the JSON body of your request.", "invalid_request_error"
            )
        return None
