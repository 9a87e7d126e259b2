"""The JSON API v1: /api/v1/…, schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from aescrm.api import (
    appointments,
    audit,
    bench_floor,
    catalogue,
    clinic,
    conversions,
    enquiries,
    errors,
    leads,
    messages,
    patients,
    privacy,
    rights,
    team,
)
from aescrm.api.auth import ApiKeyAuth
from aescrm.automation import api as automation_api
from aescrm.billing import usage_api
from aescrm.erasure import api as erasure_api
from aescrm.reports import api as reports_api
from aescrm.scheduling import api as scheduling_api
from aescrm.subject_access import api as subject_access_api
from aescrm.templating import api as templating_api

api = NinjaAPI(
    title="AES-CRM API",
    version="1",
    description=(
        "Per-clinic API. Authenticate with `Authorization: Bearer <key>`; keys are created in "
        "Settings → API keys or with `aescrm create_api_key`. Errors are RFC 7807 problem details."
    ),
    auth=ApiKeyAuth(),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
for module in (
    clinic,
    patients,
    enquiries,
    leads,
    catalogue,
    appointments,
    audit,
    conversions,
    messages,
    privacy,
    rights,
    team,
):
    api.add_router("", module.router)
api.add_router("", reports_api.router)
api.add_router("", templating_api.router)
api.add_router("", automation_api.router)
api.add_router("", scheduling_api.router)
api.add_router("", subject_access_api.router)
api.add_router("", erasure_api.router)
api.add_router("", usage_api.router)
# `make bench` only (AESCRM_BENCH_ENDPOINTS): the floor a create cannot beat; 404 otherwise.
api.add_router("", bench_floor.router)
