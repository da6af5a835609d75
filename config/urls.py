from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.health import health
from people.views import home

urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.views")),
    path("", include("doxing_cases.urls")),
    path("", include("aftercare.urls")),
    path("", include("prevention.urls")),
    path("", include("exports.urls")),
]

admin.site.site_header = "Handvat"
admin.site.site_title = "Handvat"
