from django.urls import path

from aescrm.analytics import views

app_name = "analytics"

urlpatterns = [
    path("account/analytics", views.account_analytics, name="account_analytics"),
]
