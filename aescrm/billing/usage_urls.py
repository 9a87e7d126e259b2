from django.urls import path

from aescrm.billing import usage_views

app_name = "usage"

urlpatterns = [
    path("settings/usage", usage_views.usage_page, name="page"),
    path("settings/usage/overage", usage_views.overage_set, name="overage"),
]
