"""Signing in and out: families by a one-time code, staff by password and an optional
authenticator app; the security page where staff manage both."""

import math
import time
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.accounts import selectors, services
from tandem.accounts.access import public, signed_in
from tandem.accounts.forms import (
    FamilySignInForm,
    RemoveDeviceForm,
    SignInCodeForm,
    StaffSignInForm,
    TokenForm,
    error_summary,
)
from tandem.accounts.models import User

FAMILY_PENDING = "tandem_family_sign_in"  # {"destination": hash, "next": url}
STAFF_PENDING = "tandem_staff_sign_in"  # {"user_id", "email", "next", "started"}
STAFF_PENDING_SECONDS = 300


def client_address(request: HttpRequest) -> str:
    """The visitor's address for rate limits.

    Behind TANDEM_TRUSTED_PROXY_COUNT proxies, the address the outermost trusted proxy
    saw, read from the right of X-Forwarded-For; entries further left are whatever the
    client chose to send and are never trusted.
    """
    proxies = settings.TANDEM_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` if it stays on this site, else empty: sign-in never redirects elsewhere."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Please try again in %(minutes)d minute.",
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _too_many(request, template: str, context: dict, wait_seconds: int, lead: str):
    context = {**context, "limit_message": f"{lead} {wait_message(wait_seconds)}"}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response


@public
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = FamilySignInForm(request.POST or None, initial={"next": next_url})
    context = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        destination = form.cleaned_data["destination"]
        try:
            services.request_sign_in_code(
                destination=destination, client_address=client_address(request)
            )
        except services.SignInRateLimited as limited:
            return _too_many(
                request,
                "accounts/sign_in.html",
                context,
                limited.wait_seconds,
                _("We have sent several codes in a short time, so we are pausing for your safety."),
            )
        request.session[FAMILY_PENDING] = {"destination": destination.key_hash, "next": next_url}
        messages.info(
            request,
            _(
                "If this number or address is in our records, we sent a code to it. "
                "It can take a minute to arrive."
            ),
        )
        return redirect("accounts:sign-in-code")
    context["errors"] = error_summary(form)
    return render(request, "accounts/sign_in.html", context)


@public
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(FAMILY_PENDING)
    if not pending:
        messages.info(request, _("First, tell us where to send your code."))
        return redirect("accounts:sign-in")
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.redeem_sign_in_code(
                destination_hash=pending["destination"], code=form.cleaned_data["code"]
            )
        except services.CodeRejected as rejected:
            form.add_error("code", _code_message(rejected))
        else:
            request.session.pop(FAMILY_PENDING, None)
            auth.login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect(pending.get("next") or "family:home")
    return render(
        request, "accounts/sign_in_code.html", {"form": form, "errors": error_summary(form)}
    )


def _code_message(rejected: services.CodeRejected) -> str:
    if rejected.reason == services.CodeRejected.WRONG:
        return ngettext(
            "That code is not right. You can try %(tries)d more time.",
            "That code is not right. You can try %(tries)d more times.",
            rejected.tries_left,
        ) % {"tries": rejected.tries_left}
    if rejected.reason == services.CodeRejected.LOCKED:
        return _("That code was entered wrongly too many times. Ask for a new code.")
    if rejected.reason == services.CodeRejected.STAFF_ACCOUNT:
        return _("This account signs in with a password. Please use the staff sign-in.")
    return _("This code has expired or was already used. Ask for a new code.")


@public
@never_cache
def staff_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = StaffSignInForm(request.POST or None, initial={"next": next_url})
    context = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        email, address = form.cleaned_data["email"], client_address(request)
        wait = selectors.staff_sign_in_wait(email=email, client_address=address)
        if wait:
            return _too_many(
                request,
                "accounts/staff_sign_in.html",
                context,
                wait,
                _("There were too many failed attempts to sign in to this account from here."),
            )
        user = auth.authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is None:
            services.record_staff_sign_in_failure(
                email=email, client_address=address, step="password"
            )
            form.add_error(None, _("That email address and password do not match an account."))
        elif TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            request.session[STAFF_PENDING] = {
                "user_id": user.pk,
                "email": email,
                "next": next_url,
                "started": time.time(),
            }
            return redirect("accounts:staff-verify")
        else:
            services.clear_staff_sign_in_failures(email=email, client_address=address)
            auth.login(request, user)
            services.record_sign_in(user=user, method="password")
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    context["errors"] = error_summary(form)
    return render(request, "accounts/staff_sign_in.html", context)


@public
@never_cache
def staff_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(STAFF_PENDING)
    if not pending or time.time() - pending["started"] > STAFF_PENDING_SECONDS:
        request.session.pop(STAFF_PENDING, None)
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:staff-sign-in")
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    device = user and TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        request.session.pop(STAFF_PENDING, None)
        return redirect("accounts:staff-sign-in")
    form = TokenForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        email, address = pending["email"], client_address(request)
        wait = selectors.staff_sign_in_wait(email=email, client_address=address)
        if wait:
            return _too_many(
                request,
                "accounts/staff_verify.html",
                context,
                wait,
                _("There were too many failed attempts to sign in to this account from here."),
            )
        allowed, throttled = device.verify_is_allowed()
        if not allowed:
            # The device itself slows guessing down after each wrong code (1, 2, 4… s).
            seconds = math.ceil((throttled["locked_until"] - timezone.now()).total_seconds())
            form.add_error(
                "token",
                ngettext(
                    "Please wait %(seconds)d second before trying another code.",
                    "Please wait %(seconds)d seconds before trying another code.",
                    max(1, seconds),
                )
                % {"seconds": max(1, seconds)},
            )
            return render(
                request, "accounts/staff_verify.html", {**context, "errors": error_summary(form)}
            )
        verified = django_otp.verify_token(user, device.persistent_id, form.cleaned_data["token"])
        if verified is None:
            services.record_staff_sign_in_failure(email=email, client_address=address, step="totp")
            form.add_error(
                "token", _("That code is not right. Check the time on your phone and try again.")
            )
        else:
            request.session.pop(STAFF_PENDING, None)
            services.clear_staff_sign_in_failures(email=email, client_address=address)
            auth.login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            django_otp.login(request, verified)
            services.record_sign_in(user=user, method="password+totp")
            return redirect(pending["next"] or resolve_url(settings.LOGIN_REDIRECT_URL))
    context["errors"] = error_summary(form)
    return render(request, "accounts/staff_verify.html", context)


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("web:home")


@signed_in
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """Staff turn two-step verification on or off and change their password here;
    families sign in by code and have nothing to manage."""
    user = request.user
    if not user.has_usable_password():
        return render(request, "accounts/security.html", {"code_only": True})
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=None).order_by("id"))
    device = next((d for d in devices if d.confirmed), None)
    unconfirmed = next((d for d in devices if not d.confirmed), None)
    step = request.POST.get("step") if request.method == "POST" else None
    confirm_form = TokenForm(request.POST if step == "confirm" else None, prefix="confirm")
    remove_form = RemoveDeviceForm(
        request.POST if step == "remove" else None, user=user, prefix="remove"
    )
    password_form = PasswordChangeForm(
        user, request.POST if step == "password" else None, label_suffix=""
    )

    if step == "start" and device is None:
        services.start_totp_setup(user=user)
        return redirect("accounts:security")
    if step == "confirm" and unconfirmed is not None and confirm_form.is_valid():
        token = confirm_form.cleaned_data["token"]
        if services.confirm_totp_device(user=user, device=unconfirmed, token=token):
            django_otp.login(request, unconfirmed)
            messages.success(request, _("Two-step verification is on."))
            return redirect("accounts:security")
        confirm_form.add_error("token", _("That code is not right. Try the newest one."))
    if step == "remove" and device is not None and remove_form.is_valid():
        services.remove_totp_devices(user=user)
        messages.success(request, _("Two-step verification is off."))
        return redirect("accounts:security")
    if step == "password" and password_form.is_valid():
        services.change_password(
            user=user, new_password=password_form.cleaned_data["new_password1"]
        )
        auth.update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:security")

    context = {
        "device": device,
        "unconfirmed": None if device else unconfirmed,
        "confirm_form": confirm_form,
        "remove_form": remove_form,
        "password_form": password_form,
        "errors": error_summary(confirm_form)
        + error_summary(remove_form)
        + error_summary(password_form),
    }
    if context["unconfirmed"] is not None:
        context.update(_setup_details(context["unconfirmed"]))
    return render(request, "accounts/security.html", context)


def _setup_details(device: TOTPDevice) -> dict:
    """The QR code (an SVG data: URI, allowed by the CSP) and the same secret as text."""
    uri = device.config_url
    secret = b32encode(device.bin_key).decode()
    return {
        "qr_data_uri": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
