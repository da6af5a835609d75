from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from people import access


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is."""
    if access.is_coordinator(request.user):
        return redirect("cases:dashboard")
    if access.is_manager(request.user):
        return redirect("cases:team")
    return redirect("cases:my")
