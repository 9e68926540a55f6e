from django.utils import translation
from django.utils.cache import patch_cache_control


class PreferredLanguageMiddleware:
    """Use a signed-in person's preferred language unless they chose one in
    this browser (the language switcher sets the language cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = request.user
        if user.is_authenticated and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Nothing shown to a signed-in person, and no file the app sends (exports,
    uploads, certificates, the calendar feed), is kept by a browser's or a
    proxy's cache: on a shared computer the back button or the cache would
    show it to the next person. Public pages for anonymous visitors stay
    cacheable, as do permanent redirects (/favicon.ico), which say the same to
    everyone; static files never get here (WhiteNoise answers them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (301, 308):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header(
            "Content-Disposition"
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
