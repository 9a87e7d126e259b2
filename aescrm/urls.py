from django.urls import include, path

from aescrm.api.main import api
from aescrm.conversions import views as conversion_views
from aescrm.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("bench/bare", core_views.bare, name="bench-bare"),
    path("api/v1/", api.urls),
    path("", include("aescrm.public.urls")),
    path("", include("aescrm.messaging.urls")),
    path("", include("aescrm.inbox.urls")),
    path("", include("aescrm.assistant.staff_urls")),
    path("", include("aescrm.mail.urls")),
    path("", include("aescrm.automation.urls")),
    path("", include("aescrm.privacy.urls")),
    path("", include("aescrm.retention.urls")),
    path("", include("aescrm.subject_access.urls")),
    path("", include("aescrm.notices.urls")),
    path("", include("aescrm.platform_privacy.urls")),
    path("", include("aescrm.analytics.urls")),
    path("", include("aescrm.console.urls")),
    path("", include("aescrm.erasure.urls")),
    path("", include("aescrm.billing.urls")),
    path("", include("aescrm.web.team_urls")),
    path("", include("aescrm.billing.usage_urls")),
    path(
        "conversions/<str:public_key>/google-ads.csv",
        conversion_views.google_ads_feed,
        name="conversions-google-feed",
    ),
    path("", include("aescrm.web.urls")),
]
