"""Read a public submission's body (JSON or form-encoded) into one nested mapping.

Form fields with dotted names become nested objects, so a plain HTML form can
send ``first_touch.gclid`` and ``consent.sms`` and arrive in the same shape as
JSON. A repeated form field counts once: the first value wins.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError

from aescrm.core.problems import DomainError, ValidationFailed

MAX_FIELDS = 200
MAX_DEPTH = 2
JSON_MAX_DEPTH = 8


def _depth(value: Any, level: int = 0) -> int:
    if level > JSON_MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


class PayloadTooLarge(DomainError):
    status = 413
    title = "Payload too large"
    type_slug = "payload-too-large"


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"
    type_slug = "unsupported-media-type"


class BadRequestBody(DomainError):
    status = 400
    title = "Bad request"
    type_slug = "bad-request"


def media_type(request: HttpRequest) -> str:
    return (request.content_type or "").split(";")[0].strip().lower()


def is_form(request: HttpRequest) -> bool:
    return media_type(request) in ("application/x-www-form-urlencoded", "multipart/form-data")


def _too_large() -> PayloadTooLarge:
    limit = settings.PUBLIC_MAX_BODY_BYTES
    return PayloadTooLarge(
        f"the request body is larger than {limit // 1024} KB", field="body", limit_bytes=limit
    )


def _body(request: HttpRequest) -> bytes:
    limit = settings.PUBLIC_MAX_BODY_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise BadRequestBody("Content-Length is not a number", field="body") from exc
    if declared > limit:
        raise _too_large()
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise _too_large() from exc
    if len(body) > limit:
        raise _too_large()
    return body


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``[("first_touch.gclid", "x")]`` → ``{"first_touch": {"gclid": "x"}}``; first value wins."""
    if len(pairs) > MAX_FIELDS:
        raise ValidationFailed(f"a form may send at most {MAX_FIELDS} fields", field="body")
    out: dict[str, Any] = {}
    for name, value in pairs:
        parts = name.split(".")
        if len(parts) > MAX_DEPTH or not all(parts):
            continue  # not one of ours (e.g. a stray field of the clinic's page)
        node = out
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValidationFailed(
                    f"{part} is sent both as a value and as an object", field=part
                )
            node = child
        leaf = parts[-1]
        if isinstance(node.get(leaf), dict):
            raise ValidationFailed(f"{name} is sent both as a value and as an object", field=name)
        node.setdefault(leaf, value)
    return out


def _form_pairs(request: HttpRequest, body: bytes) -> list[tuple[str, str]]:
    if media_type(request) == "multipart/form-data":
        try:
            data = request.POST
        except (MultiPartParserError, SuspiciousOperation, ValueError) as exc:
            raise BadRequestBody("the multipart form body cannot be read", field="body") from exc
    else:
        try:
            data = QueryDict(body, encoding="utf-8")
        except (SuspiciousOperation, ValueError) as exc:  # e.g. more fields than Django allows
            raise BadRequestBody("the form body cannot be read", field="body") from exc
    return [(name, values[0]) for name, values in data.lists() if values]


def read_payload(request: HttpRequest) -> dict[str, Any]:
    kind = media_type(request)
    body = _body(request)
    if kind == "application/json" or kind.endswith("+json"):
        try:
            data = json.loads(body.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise BadRequestBody(
                "the body is not valid JSON (UTF-8 encoded)", field="body"
            ) from exc
        if not isinstance(data, dict):
            raise ValidationFailed("the body must be a JSON object", field="body")
        if _depth(data) > JSON_MAX_DEPTH:
            raise ValidationFailed("the JSON body is nested too deeply", field="body")
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:  # lone surrogates (\ud800) cannot be stored
            raise BadRequestBody(
                "the body contains characters that are not text", field="body"
            ) from exc
        return data
    if is_form(request):
        return nest(_form_pairs(request, body))
    raise UnsupportedMediaType(
        "send application/json or application/x-www-form-urlencoded", field="Content-Type"
    )
