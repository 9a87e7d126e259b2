"""Staff pages for website chats, inside the inbox (/inbox/chats/…)."""

from django.urls import path

from aescrm.assistant import staff_views

app_name = "chats"

urlpatterns = [
    path("inbox/chats/", staff_views.chat_list, name="list"),
    path("inbox/chats/updates", staff_views.chat_list_updates, name="list_updates"),
    path("inbox/chats/<uuid:session_id>/", staff_views.chat_view, name="chat"),
    path(
        "inbox/chats/<uuid:session_id>/transcript",
        staff_views.transcript_updates,
        name="transcript",
    ),
    path("inbox/chats/<uuid:session_id>/take-over", staff_views.take_over, name="take_over"),
    path("inbox/chats/<uuid:session_id>/hand-back", staff_views.hand_back, name="hand_back"),
    path("inbox/chats/<uuid:session_id>/reply", staff_views.reply, name="reply"),
]
