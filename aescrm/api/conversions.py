from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Clean
from aescrm.conversions import selectors

router = Router(tags=["conversions"])


class GoogleCsvParams(Clean):
    since: str | None = None


@router.get(
    "/conversions/google-ads.csv",
    response={200: str, **ERRORS},
    openapi_extra={
        "responses": {
            "200": {
                "description": "Google Ads offline click conversion import file (CSV)",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
    summary="Conversions as a Google Ads offline click conversion import file",
)
def google_ads_csv(request: HttpRequest, params: Query[GoogleCsvParams]) -> HttpResponse:
    """Events whose credited last touch carried a gclid, since ``since`` (ISO 8601 date or
    time; default the last 90 days), times in the clinic's time zone, values in GBP."""
    caller = caller_of(request)
    caller.require(Perm.CONVERSIONS_VIEW)
    clinic = Clinic.objects.get(pk=caller.clinic_id)
    since = selectors.parse_since(params.since, clinic)
    body = selectors.google_import_csv(clinic=clinic, since=since, actor="api")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="google-ads-{clinic.slug}.csv"'
    response["Cache-Control"] = "no-store"
    return response
