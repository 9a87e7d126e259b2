from django.urls import path

from aescrm.public import views

app_name = "public"

urlpatterns = [
    path("widget.js", views.widget_js, name="widget"),
    path("public/v1/<str:public_key>/enquiries", views.enquiries, name="enquiries"),
    path("public/v1/<str:public_key>/thank-you", views.thank_you, name="thank_you"),
]
