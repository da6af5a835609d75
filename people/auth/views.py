"""Logging in: the login page, the TOTP code, setting up a device, single sign-on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from people import access
from people.auth import otp
from people.auth.forms import TokenForm

GET_POST = require_http_methods(["GET", "POST"])


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": settings.HANDVAT_OIDC_ENABLED,
            "idle": self.request.GET.get("idle") == "1",
        }


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@login_required
@GET_POST
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator app."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not otp.has_confirmed_device(request.user):
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.verify(request, form.cleaned_data["otp_token"]):
            return redirect(_next(request))
        form.add_error("otp_token", _("That code is not right, or it has expired. Try the code your app shows now."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
@GET_POST
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: required for privileged roles, a
    choice for everyone else. A user with a device must pass it first, so a
    stolen password cannot add a device of its own."""
    user = request.user
    if otp.has_confirmed_device(user):
        if not user.is_verified():
            return redirect("two_factor_verify")
        context = {"required": access.must_use_second_factor(user)}
        return render(request, "registration/two_factor_on.html", context)
    device = otp.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.confirm(request, device, form.cleaned_data["otp_token"]):
            messages.success(request, _("Two-step login is on. From now on you log in with a code from your app."))
            return redirect(_next(request))
        form.add_error("otp_token", _("That code is not right. Check the time on your phone and try the newest code."))
    context = {
        "form": form,
        "next": _next(request),
        "required": access.must_use_second_factor(user),
        "secret": otp.secret_text(device),
        "qr": otp.qr_svg(device, title=_("QR code for your authenticator app")),
    }
    return render(request, "registration/two_factor_setup.html", context)


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Employees and managers may turn two-step login off again; privileged
    roles may not (an administrator removes a lost device in the admin)."""
    if access.must_use_second_factor(request.user) or not request.user.is_verified():
        raise Http404
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session[otp.HAS_DEVICE_SESSION_KEY] = False
    messages.success(request, _("Two-step login is off."))
    return redirect("two_factor_setup")


def sso_start(request: HttpRequest) -> HttpResponse:
    """Single sign-on with the organisation's identity provider, when configured."""
    if not settings.HANDVAT_OIDC_ENABLED:
        raise Http404
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    return OIDCAuthenticationRequestView.as_view()(request)


def sso_callback(request: HttpRequest) -> HttpResponse:
    if not settings.HANDVAT_OIDC_ENABLED:
        raise Http404
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    return OIDCAuthenticationCallbackView.as_view()(request)


def lockout(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): 429
    with a calm page saying when to try again; the username is not repeated."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/lockout.html", {"cooloff_minutes": minutes}, status=429)
