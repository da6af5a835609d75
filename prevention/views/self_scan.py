"""The employee's online self-scan, step by step."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevention.models import SelfScan
from prevention.self_scan_steps import FOLLOW_UPS, STEP_KEYS, STEPS, step
from prevention.services import self_scan as services


class StepForm(forms.Form):
    follow_ups = forms.MultipleChoiceField(
        label=gettext_lazy("What will you do about it?"),
        help_text=gettext_lazy("Only your choice is kept, as a to-do; not what you found."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_ups"].choices = choices


class CompleteForm(forms.Form):
    remind = forms.BooleanField(label=gettext_lazy("Remind me in six months to check again"), required=False)


def _scan(request: HttpRequest, scan_id: int) -> SelfScan:
    scan = SelfScan.objects.filter(pk=scan_id, user=request.user).first()
    if scan is None:
        raise Http404
    return scan


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    scans = list(request.user.self_scans.order_by("-started_at", "-pk")[:5])
    latest = scans[0] if scans else None
    open_items = [FOLLOW_UPS[key] for key in (latest.open_follow_ups if latest else []) if key in FOLLOW_UPS]
    context = {"latest": latest, "open_items": open_items, "steps": STEPS}
    return render(request, "prevention/self_scan/overview.html", context)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    scan = services.self_scan_start(actor=request.user)
    return redirect("prevention:self_scan_step", scan_id=scan.pk, step_key=STEP_KEYS[0])


@login_required
@require_http_methods(["GET", "POST"])
def scan_step(request: HttpRequest, scan_id: int, step_key: str) -> HttpResponse:
    scan = _scan(request, scan_id)
    if step_key not in STEP_KEYS:
        raise Http404
    current = step(step_key)
    # Bound on every POST: a step with nothing ticked sends no fields, and is still an answer.
    data = request.POST if request.method == "POST" else None
    form = StepForm(data, choices=[(item.key, item.label) for item in current.follow_ups])
    if request.method == "POST" and form.is_valid():
        services.self_scan_choose(actor=request.user, scan=scan, follow_ups=form.cleaned_data["follow_ups"])
        index = STEP_KEYS.index(step_key)
        if index + 1 < len(STEP_KEYS):
            return redirect("prevention:self_scan_step", scan_id=scan.pk, step_key=STEP_KEYS[index + 1])
        return redirect("prevention:self_scan_complete", scan_id=scan.pk)
    index = STEP_KEYS.index(step_key)
    context = {"scan": scan, "step": current, "form": form, "number": index + 1, "total": len(STEP_KEYS)}
    return render(request, "prevention/self_scan/step.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, scan_id: int) -> HttpResponse:
    scan = _scan(request, scan_id)
    form = CompleteForm(request.POST if request.method == "POST" else None, initial={"remind": True})
    if request.method == "POST" and form.is_valid():
        services.self_scan_complete(actor=request.user, scan=scan, remind=form.cleaned_data["remind"])
        messages.success(request, _("Well done. Your to-do list is below."))
        return redirect("prevention:self_scan")
    open_items = [FOLLOW_UPS[key] for key in scan.open_follow_ups if key in FOLLOW_UPS]
    return render(request, "prevention/self_scan/complete.html", {"scan": scan, "form": form, "open_items": open_items})


@login_required
@require_POST
def follow_up_done(request: HttpRequest, scan_id: int, key: str) -> HttpResponse:
    scan = _scan(request, scan_id)
    services.self_scan_follow_up_done(actor=request.user, scan=scan, key=key)
    return redirect("prevention:self_scan")


urlpatterns: list[URLPattern] = [
    path("self-scan/", overview, name="self_scan"),
    path("self-scan/start/", start, name="self_scan_start"),
    path("self-scan/<int:scan_id>/step/<str:step_key>/", scan_step, name="self_scan_step"),
    path("self-scan/<int:scan_id>/done/", complete, name="self_scan_complete"),
    path("self-scan/<int:scan_id>/follow-ups/<str:key>/done/", follow_up_done, name="self_scan_follow_up_done"),
]
