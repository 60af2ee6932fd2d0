"""Signing in and out, and the security page."""

from django.urls import path

from tandem.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("staff/sign-in/", views.staff_sign_in, name="staff-sign-in"),
    path("staff/verify/", views.staff_verify, name="staff-verify"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("security/", views.security, name="security"),
]
