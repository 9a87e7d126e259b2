"""A fake Google: the OAuth token endpoint and ConversionUploadService over REST.

It checks what the real service checks that matters here: the refresh-token
grant and client credentials, the Bearer token it issued, the developer-token
and login-customer-id headers, and the shape of every ClickConversion. It can
be told to fail: ``fail_next`` (HTTP statuses for the next uploads),
``refuse`` (click id → message, answered as a partial failure with the
error code in ``refuse_codes``, UNPARSEABLE_GCLID unless told otherwise),
``lose_next`` (HTTP statuses answered *after* accepting the next uploads,
as when the answer is lost on the way back) and ``token_error`` (e.g.
"invalid_grant"). Like Google, it refuses an order id it has already
recorded for the conversion action (ORDER_ID_ALREADY_IN_USE).
"""

from __future__ import annotations

import re
from typing import Any

from aescrm.testing.fakes.base import Answer, FakeServer, Recorded

API_VERSION = "v24"
# The credentials the fake accepts unless told otherwise.
CLIENT_ID = "fake-client.apps.googleusercontent.com"
CLIENT_SECRET = "fake-client-secret"
REFRESH_TOKEN = "1//fake-refresh-token"
DEVELOPER_TOKEN = "fake-developer-token"
_UPLOAD_PATH = re.compile(r"^/v\d+/customers/(\d{10}):uploadClickConversions$")
_ACTION = re.compile(r"^customers/(\d{10})/conversionActions/(\d+)$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _index(error: dict[str, Any]) -> int:
    return int(error["location"]["fieldPathElements"][0]["index"])


def _error(status: int, code: str, message: str) -> Answer:
    return status, {"error": {"code": status, "message": message, "status": code}}


class FakeGoogleAds(FakeServer):
    def __init__(
        self,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        refresh_token: str = REFRESH_TOKEN,
        developer_token: str = DEVELOPER_TOKEN,
        login_customer_id: str = "",
        expires_in: int = 3599,
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.developer_token = developer_token
        self.login_customer_id = login_customer_id
        self.expires_in = expires_in
        self.issued: list[str] = []
        self.fail_next: list[int] = []
        self.refuse: dict[str, str] = {}
        self.refuse_codes: dict[str, str] = {}
        self.lose_next: list[int] = []
        self.token_error = ""
        self._order_ids: set[tuple[str, str]] = set()

    @property
    def api_base(self) -> str:
        return f"{self.origin}/{API_VERSION}"

    @property
    def token_url(self) -> str:
        return f"{self.origin}/token"

    @property
    def token_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/token"]

    @property
    def uploads(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(":uploadClickConversions")]

    @property
    def conversions(self) -> list[dict[str, Any]]:
        """Every conversion Google accepted (refused and failed requests left out)."""
        return list(getattr(self, "_accepted", []))

    def answer(self, request: Recorded) -> Answer:
        if request.path == "/token":
            return self._token(request)
        match = _UPLOAD_PATH.match(request.path)
        if request.method == "POST" and match:
            return self._upload(request, match.group(1))
        return _error(404, "NOT_FOUND", f"no such method {request.path}")

    def _token(self, request: Recorded) -> Answer:
        form = {k: v[0] for k, v in request.form.items()}
        if form.get("grant_type") != "refresh_token":
            return 400, {"error": "unsupported_grant_type"}
        if self.token_error:
            return 400, {"error": self.token_error, "error_description": "Bad Request"}
        if form.get("client_id") != self.client_id or form.get("client_secret") != (
            self.client_secret
        ):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        if form.get("refresh_token") != self.refresh_token:
            return 400, {"error": "invalid_grant", "error_description": "Bad Request"}
        token = f"ya29.fake-access-{len(self.issued) + 1}"
        self.issued.append(token)
        return 200, {
            "access_token": token,
            "expires_in": self.expires_in,
            "scope": "https://www.googleapis.com/auth/adwords",
            "token_type": "Bearer",
        }

    def _upload(self, request: Recorded, customer_id: str) -> Answer:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.issued:
            return _error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if request.headers.get("developer-token") != self.developer_token:
            return _error(401, "UNAUTHENTICATED", "The developer token is not valid.")
        if (request.headers.get("login-customer-id") or "") != self.login_customer_id:
            return _error(403, "PERMISSION_DENIED", "User doesn't have permission.")
        if self.fail_next:
            status = self.fail_next.pop(0)
            return _error(status, "INTERNAL", "Internal error encountered.")
        body = request.json
        if not isinstance(body, dict) or body.get("partialFailure") is not True:
            return _error(400, "INVALID_ARGUMENT", "partialFailure must be true")
        conversions = body.get("conversions")
        if not isinstance(conversions, list) or not conversions:
            return _error(400, "INVALID_ARGUMENT", "conversions is required")
        for index, conversion in enumerate(conversions):
            problem = self._invalid(conversion, customer_id)
            if problem:
                return _error(400, "INVALID_ARGUMENT", f"{problem} at conversions[{index}]")
        results: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        accepted = getattr(self, "_accepted", [])
        for index, conversion in enumerate(conversions):
            click = conversion.get("gclid") or conversion.get("gbraid") or conversion.get("wbraid")
            order = (str(conversion.get("conversionAction")), str(conversion.get("orderId", "")))
            refusal: tuple[str, str] | None = None
            if click in self.refuse:
                code = self.refuse_codes.get(click, "UNPARSEABLE_GCLID")
                refusal = (code, self.refuse[click])
            elif order[1] and order in self._order_ids:
                refusal = (
                    "ORDER_ID_ALREADY_IN_USE",
                    "The imported event includes an order ID that was previously recorded, "
                    "so the event was not processed.",
                )
            if refusal is not None:
                results.append({})
                errors.append(
                    {
                        "errorCode": {"conversionUploadError": refusal[0]},
                        "message": refusal[1],
                        "location": {
                            "fieldPathElements": [
                                {"fieldName": "conversions", "index": index},
                                {"fieldName": "gclid"},
                            ]
                        },
                    }
                )
                continue
            if order[1]:
                self._order_ids.add(order)
            accepted.append(conversion)
            results.append(
                {
                    key: conversion[key]
                    for key in ("gclid", "gbraid", "wbraid", "conversionAction")
                    if key in conversion
                }
                | {"conversionDateTime": conversion["conversionDateTime"]}
            )
        self._accepted = accepted
        if self.lose_next:
            # Recorded, but the answer never reaches the caller in one piece.
            status = self.lose_next.pop(0)
            return _error(status, "UNAVAILABLE", "The service is currently unavailable.")
        answer: dict[str, Any] = {"results": results, "jobId": "1"}
        if errors:
            answer["partialFailureError"] = {
                "code": 3,
                "message": "; ".join(
                    f"{e['message']}, at conversions[{_index(e)}]" for e in errors
                ),
                "details": [
                    {
                        "@type": f"type.googleapis.com/google.ads.googleads.{API_VERSION}"
                        ".errors.GoogleAdsFailure",
                        "errors": errors,
                    }
                ],
            }
        return 200, answer

    @staticmethod
    def _invalid(conversion: Any, customer_id: str) -> str:
        if not isinstance(conversion, dict):
            return "a conversion must be an object"
        clicks = [k for k in ("gclid", "gbraid", "wbraid") if conversion.get(k)]
        if len(clicks) != 1:
            return "exactly one of gclid, gbraid and wbraid must be set"
        action = _ACTION.match(str(conversion.get("conversionAction", "")))
        if not action or action.group(1) != customer_id:
            return "conversionAction must be customers/{customer}/conversionActions/{id}"
        if not _DATE_TIME.match(str(conversion.get("conversionDateTime", ""))):
            return "conversionDateTime must be yyyy-mm-dd hh:mm:ss+|-hh:mm"
        if "conversionValue" in conversion:
            if not isinstance(conversion["conversionValue"], int | float):
                return "conversionValue must be a number"
            if not re.match(r"^[A-Z]{3}$", str(conversion.get("currencyCode", ""))):
                return "currencyCode must be an ISO 4217 code"
        consent = conversion.get("consent")
        if consent is not None and consent.get("adUserData") not in ("GRANTED", "DENIED"):
            return "consent.adUserData must be GRANTED or DENIED"
        for identifier in conversion.get("userIdentifiers") or []:
            if len(identifier) != 1:
                return "one identifier per UserIdentifier"
            ((key, value),) = identifier.items()
            if key not in ("hashedEmail", "hashedPhoneNumber") or not _SHA256.match(str(value)):
                return f"userIdentifiers {key} must be a SHA-256 hex digest"
        return ""
