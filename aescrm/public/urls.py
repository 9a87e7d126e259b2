from django.urls import path

from aescrm.assistant import public_views as assistant
from aescrm.public import views

app_name = "public"

urlpatterns = [
    path("widget.js", views.widget_js, name="widget"),
    path("public/v1/<str:public_key>/enquiries", views.enquiries, name="enquiries"),
    path("public/v1/<str:public_key>/seen", views.seen, name="seen"),
    path("public/v1/<str:public_key>/thank-you", views.thank_you, name="thank_you"),
    path("public/v1/<str:public_key>/assistant", assistant.assistant_config, name="assistant"),
    path("public/v1/<str:public_key>/chat", assistant.chat_message, name="chat"),
    path(
        "public/v1/<str:public_key>/chat/<str:session_id>/messages",
        assistant.chat_messages,
        name="chat_messages",
    ),
]
