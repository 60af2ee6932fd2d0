"""Operators' admin for accounts: users, memberships, sign-in codes (read-only, no code).

Operators sign in to the admin through the staff sign-in, so its rate limit and its
two-step verification apply there too.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership, SignInCode, StaffSignInFailure, User


def admin_sign_in(request, extra_context=None):
    if request.user.is_authenticated:
        # Signed in, but not an operator: the admin sent them here because it refused.
        raise PermissionDenied
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return redirect(f"{reverse('accounts:staff-sign-in')}?{urlencode({'next': target})}")


admin.site.login = admin_sign_in


class TandemUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class TandemUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("organization", "school")
    fields = ("organization", "school", "role", "is_active")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = TandemUserChangeForm
    add_form = TandemUserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("About"), {"fields": ("name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("__str__", "email", "is_active", "is_staff", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "name")
    ordering = ("email", "id")
    readonly_fields = ("last_login", "date_joined")
    inlines = [MembershipInline]
    show_full_result_count = False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organization", "school", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("user", "organization", "school")
    raw_id_fields = ("user", "organization", "school")
    search_fields = ("user__email", "user__name", "organization__name", "school__name")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept as evidence: operators may look, never add, edit or delete."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SignInCode)
class SignInCodeAdmin(ReadOnlyAdmin):
    # The code's hash is left out on purpose: nothing on this page helps guess a code.
    fields = (
        "caregiver",
        "contact_point",
        "created_at",
        "expires_at",
        "attempts",
        "used_at",
        "destination_hash",
        "client_hash",
    )
    list_display = ("id", "caregiver_id", "created_at", "expires_at", "attempts", "used_at")
    list_filter = ("used_at",)
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(StaffSignInFailure)
class StaffSignInFailureAdmin(ReadOnlyAdmin):
    list_display = ("id", "key_hash", "created_at")
    date_hierarchy = "created_at"
    show_full_result_count = False
