from django.contrib.auth import views as auth_views
from django.urls import path

from people.auth import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-step/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-step/code/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-step/off/", views.two_factor_disable, name="two_factor_disable"),
    path("accounts/sso/", views.sso_start, name="sso_start"),
    path("accounts/sso/callback/", views.sso_callback, name="sso_callback"),
]
