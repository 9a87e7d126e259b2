"""The inbox pages: the list of conversations, one conversation, and their live updates.

Live updates are polls (htmx, every few seconds) that send the version the
page shows; the server answers 204 when nothing changed, and otherwise the
fragment to swap in. Without JavaScript every form posts and redirects, and
a link reloads the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.inbox import selectors, services, staff
from aescrm.inbox.forms import InboxFilterForm, NoteForm, ReplyForm
from aescrm.inbox.reasons import Blocked, Explainer
from aescrm.messaging.models import Channel, Conversation, Message
from aescrm.messaging.segments import sms_segments
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of, clinic_of

NO_CHANGE = 204


def _unchanged() -> HttpResponse:
    return HttpResponse(status=NO_CHANGE)


# ---------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------


def _filter_form(request: HttpRequest) -> InboxFilterForm:
    members = staff.assignable(caller_of(request).clinic_id)
    form = InboxFilterForm(request.GET or None, members=members)
    form.is_valid()
    return form


def _query(request: HttpRequest, **changes: Any) -> str:
    params = {k: v for k, v in request.GET.items() if k not in ("v", *changes)}
    params.update({k: v for k, v in changes.items() if v not in (None, "")})
    return urlencode(params)


def _list_context(request: HttpRequest, form: InboxFilterForm) -> dict[str, Any]:
    caller = caller_of(request)
    chosen = form.chosen()
    inbox = selectors.inbox_page(caller, chosen, request.GET.get("page"))
    blocked = _list_markers(request, [row.conversation for row in inbox.rows])
    for row in inbox.rows:
        row.blocked = blocked.get(row.conversation.pk)
    return {
        "inbox": inbox,
        "chosen": chosen,
        "can_see_bodies": caller.can(Perm.MESSAGE_BODY_VIEW),
        "channel_counts": [(value, label, inbox.counts[value]) for value, label in Channel.choices],
        "poll_url": f"{reverse('inbox:list_updates')}?{_query(request, v=inbox.version)}",
        "page_query": _query(request, page=None),
    }


def _list_markers(request: HttpRequest, conversations: list[Conversation]) -> dict[Any, Blocked]:
    """For each listed SMS or email conversation: why its patient cannot be messaged, if so."""
    tz = clinic_of(request).tz
    found: dict[Any, Blocked] = {}
    for channel in (Channel.SMS, Channel.EMAIL):
        rows = [c for c in conversations if c.channel == channel]
        explainer = Explainer(tz, channel, [c.patient_id for c in rows])
        for conversation in rows:
            why = explainer.blocked(conversation.patient, kind="service")
            if why is not None:
                found[conversation.pk] = why
    return found


@member_required(Perm.MESSAGE_VIEW)
@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    form = _filter_form(request)
    context = _list_context(request, form)
    context.update(
        form=form,
        can_bulk=caller.can(Perm.MESSAGE_BULK_SEND),
        can_manage_canned=caller.can(Perm.MESSAGE_TEMPLATE_EDIT),
        chat_attention=_chat_attention(caller),
    )
    return render(request, "inbox/list.html", context)


def _chat_attention(caller: Caller) -> int | None:
    """Website chats waiting for a person (the tab's badge); None hides the tab."""
    if not caller.can(Perm.CHAT_VIEW):
        return None
    from aescrm.assistant.staff import attention_count

    return attention_count(caller)


@member_required(Perm.MESSAGE_VIEW)
@require_GET
def inbox_updates(request: HttpRequest) -> HttpResponse:
    """The list fragment, or 204 when the version the page shows is still current."""
    form = _filter_form(request)
    version = selectors.inbox_version(caller_of(request), form.chosen(), request.GET.get("page"))
    if request.GET.get("v") == version:
        return _unchanged()
    return render(request, "inbox/_list.html", _list_context(request, form))


# ---------------------------------------------------------------------------
# One conversation
# ---------------------------------------------------------------------------


@dataclass
class ChannelOption:
    value: str
    label: str
    blocked: Blocked | None  # why a reply cannot go this way
    marketing: Blocked | None  # why marketing cannot go this way
    checked: bool = False


def _channel_options(request: HttpRequest, conversation: Conversation, chosen: str) -> list[Any]:
    tz = clinic_of(request).tz
    patient = conversation.patient
    options = []
    for value, label in ((Channel.SMS, "SMS"), (Channel.EMAIL, "Email")):
        explainer = Explainer(tz, value)
        options.append(
            ChannelOption(
                value=value,
                label=label,
                blocked=explainer.blocked(patient, kind="service"),
                marketing=explainer.blocked(patient, kind="marketing"),
            )
        )
    open_ = [o for o in options if o.blocked is None]
    preferred = chosen or conversation.channel
    pick = next((o for o in open_ if o.value == preferred), open_[0] if open_ else None)
    if pick is not None:
        pick.checked = True
    return options


def _thread_context(
    request: HttpRequest, caller: Caller, conversation: Conversation
) -> dict[str, Any]:
    """Marks what is shown as read (for those who may read it), then the thread and its version."""
    if caller.can(Perm.MESSAGE_BODY_VIEW):
        services.mark_read(caller=caller, conversation=conversation)
    items = selectors.thread(caller=caller, conversation=conversation)
    return {
        "conversation": conversation,
        "patient": conversation.patient,
        "items": items,
        "version": selectors.thread_version(conversation),
        "can_see_bodies": caller.can(Perm.MESSAGE_BODY_VIEW),
        "now": timezone.now(),
    }


def _conversation_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    caller = caller_of(request)
    clinic = clinic_of(request)
    context = _thread_context(request, caller, conversation)
    can_send = caller.can(Perm.MESSAGE_SEND) and caller.can(Perm.MESSAGE_BODY_VIEW)
    reply_form = reply_form or ReplyForm()
    chosen = str(reply_form.data.get("channel", "")) if reply_form.is_bound else ""
    options = _channel_options(request, conversation, chosen)
    body = str(reply_form.data.get("body", "")) if reply_form.is_bound else ""
    context.update(
        can_send=can_send,
        channel_options=options,
        can_reply=any(o.blocked is None for o in options),
        reply_form=reply_form,
        note_form=note_form or NoteForm(),
        segments=sms_segments(body.replace("\r\n", "\n").strip()),
        canned=selectors.canned_options(caller=caller, patient=conversation.patient, clinic=clinic)
        if can_send
        else [],
        conversations=selectors.patient_conversations(conversation),
        members=staff.assignable(caller.clinic_id) if can_send else [],
        assigned_name=staff.name_of(conversation.assigned_to),
    )
    return render(request, "inbox/conversation.html", context, status=status)


@member_required(Perm.MESSAGE_VIEW)
@require_GET
def conversation_view(request: HttpRequest, conversation_id: Any) -> HttpResponse:
    caller = caller_of(request)
    conversation = selectors.conversation_get(caller=caller, conversation_id=conversation_id)
    return _conversation_page(request, conversation)


@member_required(Perm.MESSAGE_VIEW)
@require_GET
def thread_updates(request: HttpRequest, conversation_id: Any) -> HttpResponse:
    """The thread fragment, or 204 when the version the page shows is still current."""
    caller = caller_of(request)
    conversation = selectors.conversation_get(caller=caller, conversation_id=conversation_id)
    if request.GET.get("v") == selectors.thread_version(conversation):
        return _unchanged()
    return render(request, "inbox/_thread.html", _thread_context(request, caller, conversation))


def _back_to(conversation: Conversation | Message | Any, anchor: str = "") -> HttpResponse:
    pk = conversation.conversation_id if isinstance(conversation, Message) else conversation.pk
    return redirect(reverse("inbox:conversation", args=[pk]) + anchor)


@member_required(Perm.MESSAGE_SEND)
@require_POST
def reply(request: HttpRequest, conversation_id: Any) -> HttpResponse:
    """Send, or (without JavaScript) put a canned reply into the box; the text is never lost."""
    caller = caller_of(request)
    conversation = selectors.conversation_get(caller=caller, conversation_id=conversation_id)
    form = ReplyForm(request.POST)
    if request.POST.get("action") == "insert":
        return _insert_canned(request, conversation, form)
    if form.is_valid():
        try:
            message = services.reply_send(
                caller=caller,
                conversation=conversation,
                channel=form.cleaned_data["channel"],
                body=form.cleaned_data["body"],
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc, aliases={"patient": "channel", "kind": "channel"})
        else:
            note = f"Reply queued by {message.get_channel_display()}."
            if message.error_code == "usage_limit":
                # Held by the plan's limit (docs/decisions/0033): say so, with the reason.
                messages.warning(request, f"{note} It is held: {message.error_reason}")
                return _back_to(message, "#reply")
            if message.send_after:
                held = timezone.localtime(message.send_after, clinic_of(request).tz)
                note += f" It is quiet hours: it will go at {held:%H:%M} on {held:%A}."
            messages.success(request, note)
            return _back_to(message, "#reply")
    return _conversation_page(request, conversation, reply_form=form, status=422)


def _insert_canned(
    request: HttpRequest, conversation: Conversation, form: ReplyForm
) -> HttpResponse:
    caller = caller_of(request)
    chosen = request.POST.get("canned", "")
    options = selectors.canned_options(
        caller=caller, patient=conversation.patient, clinic=clinic_of(request)
    )
    picked = next((o for o in options if str(o.reply.pk) == chosen), None)
    data = request.POST.copy()
    if picked is not None:
        typed = str(data.get("body", "")).rstrip()
        data["body"] = f"{typed}\n{picked.text}" if typed else picked.text
    return _conversation_page(request, conversation, reply_form=ReplyForm(data))


@member_required(Perm.MESSAGE_SEND)
@require_POST
def note_add(request: HttpRequest, conversation_id: Any) -> HttpResponse:
    caller = caller_of(request)
    conversation = selectors.conversation_get(caller=caller, conversation_id=conversation_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(
                caller=caller, conversation=conversation, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)
        else:
            messages.success(request, "Internal note added. It is not sent to the patient.")
            return _back_to(conversation, "#thread-title")
    return _conversation_page(request, conversation, note_form=form, status=422)


@member_required(Perm.MESSAGE_SEND)
@require_POST
def assign(request: HttpRequest, conversation_id: Any) -> HttpResponse:
    caller = caller_of(request)
    conversation = selectors.conversation_get(caller=caller, conversation_id=conversation_id)
    assignee = request.POST.get("assignee", "")
    if assignee == "me":
        assignee = str(caller.user_id)
    try:
        changed = services.assign(caller=caller, conversation=conversation, user_id=assignee)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")
    else:
        if changed:
            name = staff.name_of(conversation.assigned_to)
            messages.success(request, f"Assigned to {name}." if name else "Unassigned.")
    return _back_to(conversation)


@member_required(Perm.MESSAGE_BODY_VIEW)
@require_POST
def mark_unread(request: HttpRequest, conversation_id: Any) -> HttpResponse:
    caller = caller_of(request)
    conversation = selectors.conversation_get(caller=caller, conversation_id=conversation_id)
    services.mark_unread(caller=caller, conversation=conversation)
    messages.success(request, f"Conversation with {conversation.patient.full_name} marked unread.")
    return redirect("inbox:list")
