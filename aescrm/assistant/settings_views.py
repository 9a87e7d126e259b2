"""Settings → Assistant: the website assistant's settings, its knowledge, and a test panel.

Everyone who may read the assistant's knowledge sees these pages; owners and
managers change them. The test panel runs the real pipeline in preview mode
(``aescrm.assistant.chat.preview_turn``): nothing is stored or booked, and the
conversation lives in the member's session until "Start again".
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.assistant import knowledge, wording
from aescrm.assistant.chat import preview_turn
from aescrm.assistant.forms import AssistantSettingsForm, KnowledgeForm
from aescrm.assistant.models import KnowledgeItem, KnowledgeKind
from aescrm.core.problems import DomainError, PermissionDenied
from aescrm.patients.models import Treatment
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of

MAX_MESSAGE_CHARS = 1000
# The test conversation kept in the session: enough context for the engine, small cookies.
KEEP_HISTORY, KEEP_TURNS = 20, 10


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_manage(request: HttpRequest) -> None:
    # Readers may open the pages; a change is refused before the form is even read.
    caller_of(request).require(Perm.ASSISTANT_MANAGE)


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------


@member_required(Perm.ASSISTANT_VIEW)
@require_http_methods(["GET", "POST"])
def assistant_settings(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    can_edit = caller.can(Perm.ASSISTANT_MANAGE)
    if request.method == "POST":
        _require_manage(request)
    row = knowledge.settings_get(caller=caller)
    form = AssistantSettingsForm(
        request.POST or None, initial=AssistantSettingsForm.initial_from(row)
    )
    if not can_edit:
        form.read_only()
    if request.method == "POST" and form.is_valid():
        try:
            changed = knowledge.settings_update(caller=caller, data=form.to_input())
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)
        else:
            messages.success(
                request, "Assistant settings saved." if changed else "Nothing has changed."
            )
            return redirect("web:assistant_settings")
    return render(
        request,
        "assistant/settings.html",
        {"form": form, "can_edit": can_edit, "has_api_key": bool(row.llm_api_key)},
        status=422 if form.errors else 200,
    )


# ---------------------------------------------------------------------------
# Knowledge
# ---------------------------------------------------------------------------


def _grouped(items: list[KnowledgeItem]) -> list[dict[str, Any]]:
    labels = dict(KnowledgeKind.choices)
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        price = wording.money(item.treatment.price_pence) if item.treatment else ""
        groups.setdefault(item.kind, []).append({"item": item, "price": price})
    order = [k for k in KnowledgeKind.values if k != KnowledgeKind.TREATMENT]
    order.append(KnowledgeKind.TREATMENT.value)
    return [
        {"kind": kind, "label": labels[kind], "items": groups[kind]}
        for kind in order
        if kind in groups
    ]


@member_required(Perm.ASSISTANT_VIEW)
@require_GET
def knowledge_page(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    items = knowledge.knowledge_list(caller=caller)
    context = {
        "groups": _grouped(items),
        "count": len(items),
        "can_edit": caller.can(Perm.ASSISTANT_MANAGE),
        "hours_generated": None,
        "not_imported": Treatment.objects.filter(active=True)
        .exclude(pk__in=[i.treatment_id for i in items if i.treatment_id])
        .count(),
    }
    if not any(i.kind == KnowledgeKind.HOURS and i.active for i in items):
        context["hours_generated"] = knowledge.hours_doc()
    context.update(_test_context(request))
    return render(request, "assistant/knowledge.html", context)


def _knowledge_form(request: HttpRequest, item: KnowledgeItem | None) -> HttpResponse:
    caller = caller_of(request)
    treatment_item = item is not None and item.treatment_id is not None
    initial: dict[str, Any] = {"active": True, "kind": KnowledgeKind.FAQ.value}
    if item is not None:
        initial = {
            "kind": item.kind,
            "title": item.title,
            "answer": item.answer,
            "keywords": item.keywords,
            "active": item.active,
        }
    form = KnowledgeForm(request.POST or None, initial=initial, treatment_item=treatment_item)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = knowledge.knowledge_create(caller=caller, data=form.to_input())
                messages.success(request, f"“{item.title}” added.")
            else:
                changed = knowledge.knowledge_update(caller=caller, item=item, data=form.to_input())
                messages.success(
                    request, f"“{item.title}” saved." if changed else "Nothing has changed."
                )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)
        else:
            return redirect(reverse("web:assistant_knowledge") + f"#kind-{item.kind}")
    return render(
        request,
        "assistant/knowledge_form.html",
        {"form": form, "item": item},
        status=422 if form.errors else 200,
    )


@member_required(Perm.ASSISTANT_MANAGE)
@require_http_methods(["GET", "POST"])
def knowledge_new(request: HttpRequest) -> HttpResponse:
    return _knowledge_form(request, None)


@member_required(Perm.ASSISTANT_MANAGE)
@require_http_methods(["GET", "POST"])
def knowledge_edit(request: HttpRequest, item_id: Any) -> HttpResponse:
    item = knowledge.knowledge_get(caller=caller_of(request), item_id=item_id)
    return _knowledge_form(request, item)


@member_required(Perm.ASSISTANT_MANAGE)
@require_http_methods(["GET", "POST"])
def knowledge_delete(request: HttpRequest, item_id: Any) -> HttpResponse:
    """GET asks "Delete …?"; POST deletes (so it works without JavaScript)."""
    caller = caller_of(request)
    item = knowledge.knowledge_get(caller=caller, item_id=item_id)
    if request.method == "POST":
        knowledge.knowledge_delete(caller=caller, item=item)
        messages.success(request, f"“{item.title}” deleted.")
        return redirect("web:assistant_knowledge")
    return render(request, "assistant/knowledge_delete.html", {"item": item})


@member_required(Perm.ASSISTANT_MANAGE)
@require_POST
def knowledge_import(request: HttpRequest) -> HttpResponse:
    added, updated = knowledge.knowledge_import_catalogue(caller=caller_of(request))
    if added or updated:
        messages.success(request, f"Catalogue imported: {added} added, {updated} updated.")
    else:
        messages.success(request, "The assistant already knows the catalogue: nothing to change.")
    return redirect(reverse("web:assistant_knowledge") + "#kind-treatment")


# ---------------------------------------------------------------------------
# Test the assistant
# ---------------------------------------------------------------------------


def _session_key(request: HttpRequest) -> str:
    return f"assistant_preview:{caller_of(request).clinic_id}"


def _conversation(request: HttpRequest) -> dict[str, Any]:
    stored = request.session.get(_session_key(request))
    if not isinstance(stored, dict):
        return {"state": {}, "history": [], "turns": []}
    return stored


def _test_context(request: HttpRequest, error: str = "", message: str = "") -> dict[str, Any]:
    conversation = _conversation(request)
    turns = conversation["turns"]
    return {
        "test_turns": turns,
        "test_quick_replies": turns[-1].get("quick_replies", []) if turns else [],
        "test_error": error,
        "test_message": message,
    }


def _test_response(request: HttpRequest, error: str = "", message: str = "") -> HttpResponse:
    if _is_htmx(request):
        # 200 even with an error: htmx swaps in only successful answers.
        return render(request, "assistant/_test_panel.html", _test_context(request, error, message))
    if error:
        messages.error(request, error)
    return redirect(reverse("web:assistant_knowledge") + "#test")


@member_required(Perm.ASSISTANT_VIEW)
@require_POST
def assistant_test(request: HttpRequest) -> HttpResponse:
    """One visitor message through the assistant, in preview: nothing stored or booked."""
    # A quick-reply button sends its own words in place of the text box.
    message = (request.POST.get("quick_reply") or request.POST.get("message", "")).strip()
    if not message:
        return _test_response(request, "Write a message first.")
    if len(message) > MAX_MESSAGE_CHARS:
        return _test_response(
            request, f"A message has at most {MAX_MESSAGE_CHARS} characters.", message
        )
    conversation = _conversation(request)
    try:
        preview = preview_turn(
            caller=caller_of(request),
            state=dict(conversation["state"]),
            history=[(speaker, text) for speaker, text in conversation["history"]],
            message=message,
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        if exc.status == 404:
            raise
        return _test_response(request, exc.detail[:1].upper() + exc.detail[1:] + ".", message)
    history = [*conversation["history"], ["visitor", message], ["assistant", preview.reply]]
    turn = {
        "message": message,
        "reply": preview.reply,
        "intent": preview.intent,
        "engine": preview.engine,
        "handoff": preview.handoff,
        "latency_ms": preview.latency_ms,
        "quick_replies": list(preview.quick_replies),
        "knowledge": [str(k.get("title", "")) for k in preview.knowledge],
        "guardrails": [
            {
                "check": str(g.get("check", "")),
                "stage": str(g.get("stage", "")),
                "decision": str(g.get("decision", "")),
                "detail": str(g.get("detail", "")),
            }
            for g in preview.guardrails
        ],
    }
    request.session[_session_key(request)] = {
        "state": preview.state,
        "history": history[-KEEP_HISTORY:],
        "turns": [*conversation["turns"], turn][-KEEP_TURNS:],
    }
    return _test_response(request)


@member_required(Perm.ASSISTANT_VIEW)
@require_POST
def assistant_test_reset(request: HttpRequest) -> HttpResponse:
    request.session.pop(_session_key(request), None)
    return _test_response(request)
