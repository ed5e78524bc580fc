"""The admin's "Forgotten your password?" flow (the admin links to `admin_password_reset` when the
name exists). Included before the admin's own URLs."""

from django.contrib.auth import views as auth_views
from django.urls import path

from logins.views import PasswordResetView

urlpatterns = [
    path("password_reset/", PasswordResetView.as_view(), name="admin_password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
