from django.urls import path

from aescrm.inbox import bulk_views, canned_views, views

app_name = "inbox"

urlpatterns = [
    path("inbox/", views.inbox_list, name="list"),
    path("inbox/updates", views.inbox_updates, name="list_updates"),
    path("inbox/canned/", canned_views.canned_list, name="canned"),
    path("inbox/canned/<uuid:reply_id>/edit", canned_views.canned_edit, name="canned_edit"),
    path("inbox/canned/<uuid:reply_id>/delete", canned_views.canned_delete, name="canned_delete"),
    path("inbox/bulk/", bulk_views.bulk_start, name="bulk"),
    path("inbox/bulk/confirm", bulk_views.bulk_confirm, name="bulk_confirm"),
    path("inbox/bulk/<uuid:bulk_id>/", bulk_views.bulk_detail, name="bulk_detail"),
    path("inbox/bulk/<uuid:bulk_id>/progress", bulk_views.bulk_progress, name="bulk_progress"),
    path("inbox/<uuid:conversation_id>/", views.conversation_view, name="conversation"),
    path("inbox/<uuid:conversation_id>/thread", views.thread_updates, name="thread"),
    path("inbox/<uuid:conversation_id>/reply", views.reply, name="reply"),
    path("inbox/<uuid:conversation_id>/notes", views.note_add, name="note"),
    path("inbox/<uuid:conversation_id>/assign", views.assign, name="assign"),
    path("inbox/<uuid:conversation_id>/unread", views.mark_unread, name="unread"),
]
