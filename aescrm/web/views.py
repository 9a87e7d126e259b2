from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aescrm.web.access import member_required


@member_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "web/dashboard.html", {})
