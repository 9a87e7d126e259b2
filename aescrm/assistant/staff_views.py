"""Website chats in the inbox: the list, one chat's transcript, take over, reply, hand back.

Like the inbox (docs/decisions/0018), the list and the transcript poll with
the version they show and get 204 while nothing changed. The reply box posts
with htmx (the transcript and an empty box come back); without JavaScript it
posts and redirects.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.assistant import staff
from aescrm.assistant.models import ChatSession
from aescrm.assistant.transcript import rows, visitor_name
from aescrm.core.problems import DomainError
from aescrm.web.access import member_required
from aescrm.web.forms import AccessibleForm
from aescrm.web.helpers import caller_of

NO_CHANGE = 204


class ChatReplyForm(AccessibleForm):
    body = forms.CharField(
        label="Your reply",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": staff.REPLY_MAX}),
        help_text="The visitor sees it in the chat window within a few seconds.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The service decides what may be sent (NUL characters included), in its words.
        self.fields["body"].validators = []


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# ---------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------


def _list_context(request: HttpRequest) -> dict[str, Any]:
    caller = caller_of(request)
    sessions = staff.chat_list(caller)
    now = timezone.now()
    listed = [
        {"session": s, "visitor": visitor_name(s), "ended": staff.has_ended(s, now)}
        for s in sessions
    ]
    return {
        "chats": listed,
        "version": staff.list_version(caller),
        "chat_attention": staff.attention_count(caller),
    }


@member_required(Perm.CHAT_VIEW)
@require_GET
def chat_list(request: HttpRequest) -> HttpResponse:
    return render(request, "assistant/chats/list.html", _list_context(request))


@member_required(Perm.CHAT_VIEW)
@require_GET
def chat_list_updates(request: HttpRequest) -> HttpResponse:
    if request.GET.get("v") == staff.list_version(caller_of(request)):
        return HttpResponse(status=NO_CHANGE)
    return render(request, "assistant/chats/_list.html", _list_context(request))


# ---------------------------------------------------------------------------
# One chat
# ---------------------------------------------------------------------------


def _thread_context(caller: Caller, session: ChatSession) -> dict[str, Any]:
    """Reads (and marks read) the transcript; the version is taken first so nothing is missed."""
    version = staff.transcript_version(session)
    turns = staff.transcript(caller, session)
    return {
        "session": session,
        "visitor": visitor_name(session),
        "rows": rows(session, turns),
        "version": version,
        "ended": staff.has_ended(session),
        "can_reply": caller.can(Perm.CHAT_REPLY),
        "can_see_patient": caller.can(Perm.PATIENT_VIEW) or caller.can(Perm.PATIENT_VIEW_OWN),
    }


def _chat_page(
    request: HttpRequest,
    session: ChatSession,
    *,
    form: ChatReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    caller = caller_of(request)
    context = _thread_context(caller, session)
    form = form or ChatReplyForm()
    context.update(
        form=form,
        show_reply=context["can_reply"] and (not context["ended"] or form.is_bound),
    )
    return render(request, "assistant/chats/chat.html", context, status=status)


def _get(request: HttpRequest, session_id: Any) -> ChatSession:
    return staff.chat_get(caller_of(request), session_id)


@member_required(Perm.CHAT_VIEW)
@require_GET
def chat_view(request: HttpRequest, session_id: Any) -> HttpResponse:
    return _chat_page(request, _get(request, session_id))


@member_required(Perm.CHAT_VIEW)
@require_GET
def transcript_updates(request: HttpRequest, session_id: Any) -> HttpResponse:
    """The transcript fragment, or 204 while the version the page shows is current."""
    session = _get(request, session_id)
    if request.GET.get("v") == staff.transcript_version(session):
        return HttpResponse(status=NO_CHANGE)
    context = _thread_context(caller_of(request), session)
    return render(request, "assistant/chats/_thread.html", context)


def _back(session: ChatSession, anchor: str = "") -> HttpResponse:
    return redirect(reverse("chats:chat", args=[session.pk]) + anchor)


def _flash_error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")


@member_required(Perm.CHAT_REPLY)
@require_POST
def take_over(request: HttpRequest, session_id: Any) -> HttpResponse:
    session = _get(request, session_id)
    try:
        staff.take_over(caller_of(request), session)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        _flash_error(request, exc)
    else:
        messages.success(
            request, "You are answering this chat. The assistant will not reply until handed back."
        )
    return _back(session, "#reply")


@member_required(Perm.CHAT_REPLY)
@require_POST
def hand_back(request: HttpRequest, session_id: Any) -> HttpResponse:
    session = _get(request, session_id)
    staff.hand_back(caller_of(request), session)
    messages.success(request, "Handed back: the assistant answers the visitor's next message.")
    return _back(session)


@member_required(Perm.CHAT_REPLY)
@require_POST
def reply(request: HttpRequest, session_id: Any) -> HttpResponse:
    caller = caller_of(request)
    session = _get(request, session_id)
    form = ChatReplyForm(request.POST)
    sent = False
    if form.is_valid():
        try:
            staff.staff_reply(caller, session, form.cleaned_data["body"])
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)
        else:
            sent = True
    if _is_htmx(request):
        # htmx swaps only 2xx answers: errors come back as 200 with the box and its message.
        context = _thread_context(caller, session)
        context.update(form=ChatReplyForm() if sent else form, oob=True, sent=sent)
        return render(request, "assistant/chats/_reply_response.html", context)
    if sent:
        messages.success(request, "Reply sent to the visitor.")
        return _back(session, "#reply")
    return _chat_page(request, session, form=form, status=422)
