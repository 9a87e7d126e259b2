"""Who is acting, from where: set once per request, read by every audit write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Actor:
    type: str
    id: str = ""
    label: str = ""
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


SYSTEM = Actor(type="system", label="system")
_actor: ContextVar[Actor] = ContextVar("aescrm_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _actor.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def set_actor(actor: Actor) -> None:
    """Set the actor for the rest of the current (copied) context."""
    _actor.set(actor)


def with_identity(actor: Actor, *, type: str, id: str, label: str) -> Actor:
    return replace(actor, type=type, id=id, label=label)
