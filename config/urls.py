from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from config.health import health
from people.views import home

urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("", include("people.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.views")),
    path("", include("doxing_cases.urls")),
    path("", include("aftercare.urls")),
    path("", include("prevention.urls")),
    path("", include("exports.urls")),
    path("", include("people.privacy.views")),
]

# The admin asks for a verified TOTP device too (django-otp's documented way).
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Handvat"
admin.site.site_title = "Handvat"
