"""Choose the page language: the signed-in user's choice, then the cookie, then the browser."""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        super().process_request(request)
        user = getattr(request, "user", None)
        # request.user is lazy and set later; the session tells us whether to look it up.
        if user is None and request.session.get("_auth_user_id"):
            from django.contrib.auth import get_user

            language = getattr(get_user(request), "language", "")
            supported = translation.get_supported_language_variant
            if language and not request.COOKIES.get("tandem_language"):
                try:
                    language = supported(language)
                except LookupError:
                    return
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
