"""Access rules declared on every view, and the `access_…` helpers views call first.

Each view is wrapped in exactly one rule decorator; a system check (tandem.web.checks)
refuses to start when a URL's view has none, and the permission-matrix test exercises
every URL for every persona.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from tandem.accounts.permissions import Action, can, is_family_member


@dataclass(frozen=True)
class Rule:
    kind: str  # public | provider_webhook | signed_in | family | staff | local_outbox
    action: Action | None = None

    def __str__(self) -> str:
        return f"{self.kind}:{self.action}" if self.action else self.kind


def _declare(rule: Rule, check: Callable | None) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if check is not None:
                response = check(request)
                if response is not None:
                    return response
            return view(request, *args, **kwargs)

        wrapped.tandem_rule = rule
        return wrapped

    return decorator


def _require_sign_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def public(view: Callable) -> Callable:
    """Anyone, signed in or not."""
    return _declare(Rule("public"), None)(view)


def provider_webhook(is_authentic: Callable) -> Callable:
    """A provider calling back (Twilio's inbound texts and status callbacks): no user,
    the request's signature checked by `is_authentic(request)`; a bad one gets 403 and
    the view never runs. CSRF does not apply: the signature is the proof."""
    from django.http import HttpResponseForbidden
    from django.views.decorators.csrf import csrf_exempt

    def check(request):
        if request.method != "POST" or not is_authentic(request):
            return HttpResponseForbidden()
        return None

    def decorator(view: Callable) -> Callable:
        return csrf_exempt(_declare(Rule("provider_webhook"), check)(view))

    return decorator


def signed_in(view: Callable) -> Callable:
    """Any signed-in user; the view itself shows only what is theirs."""
    return _declare(Rule("signed_in"), _require_sign_in)(view)


def family(view: Callable) -> Callable:
    """A signed-in family member, acting on their own household."""

    def check(request):
        if (response := _require_sign_in(request)) is not None:
            return response
        if not is_family_member(request.user):
            raise PermissionDenied
        return None

    return _declare(Rule("family"), check)(view)


def staff(action: Action) -> Callable:
    """A signed-in user whose memberships allow `action` somewhere; objects are checked
    again inside the view with `access_object`."""

    def check(request):
        if (response := _require_sign_in(request)) is not None:
            return response
        if not can(request.user, action):
            raise PermissionDenied
        return None

    return lambda view: _declare(Rule("staff", action), check)(view)


def local_outbox(view: Callable) -> Callable:
    """Only where the local outbox is switched on (the demo and tests, never production)."""

    def check(request):
        if not settings.TANDEM_LOCAL_OUTBOX:
            raise Http404
        return None

    return _declare(Rule("local_outbox"), check)(view)


def access_object[M: Model](queryset: QuerySet[M], user, action: Action, **lookup) -> M:
    """The object matching `lookup` if `user` may do `action` to it; 404 otherwise, so an
    object of another organization or household looks exactly like one that does not exist."""
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    if not can(user, action, obj):
        raise Http404
    return obj
