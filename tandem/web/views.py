"""The home page, the language switch, the health check and the error pages."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from tandem.accounts.access import public
from tandem.accounts.permissions import Action, can, is_family_member


@public
def home(request):
    user = request.user
    if user.is_authenticated:
        if can(user, Action.VIEW_DIRECTORY):
            return redirect("directory:households")
        if is_family_member(user):
            return redirect("family:home")
    return render(request, "web/home.html")


@public
@require_POST
def set_language(request):
    """Django's set_language, and the signed-in user's choice remembered on the account."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and response.status_code == 302:
        from tandem.accounts.services import set_page_language

        set_page_language(user=request.user, language=language)
    return response


@public
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "web/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def server_error(request):
    try:
        return render(request, "web/500.html", status=500)
    except Exception:  # the error page itself must never fail
        return HttpResponse(_("Something went wrong on our side. Please try again."), status=500)
