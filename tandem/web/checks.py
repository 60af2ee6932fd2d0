"""A system check: every URL's view declares an access rule, or Tandem does not start."""

from django.core.checks import Error, register
from django.urls import URLPattern, URLResolver, get_resolver


def iter_patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    """Yield (route, pattern, namespace) for every URL pattern, admin included."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from iter_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, pattern, namespace


def is_admin_route(route: str) -> bool:
    return route.startswith("admin/")


@register()
def every_view_declares_an_access_rule(app_configs, **kwargs):
    errors = []
    for route, pattern, _namespace in iter_patterns(get_resolver()):
        if is_admin_route(route):
            continue  # the admin site checks is_staff on every view itself
        if not hasattr(pattern.callback, "tandem_rule"):
            errors.append(
                Error(
                    f"The view for /{route} declares no access rule.",
                    hint="Wrap it in one of tandem.accounts.access's decorators.",
                    id="tandem.E001",
                )
            )
    return errors
