from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PublicCacheControlMiddleware:
    """Let browsers and proxies keep public pages for a few minutes.

    Only anonymous GET/HEAD responses that are complete (200), set no cookie (so no CSRF
    token or message is baked in) and chose no caching of their own are marked public.
    Put it above the session and CSRF middleware so that it sees the cookies they set.
    """

    max_age = 300

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL_PATH

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.cookies
            and not response.has_header("Cache-Control")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.admin_prefix)
        ):
            patch_cache_control(response, public=True, max_age=self.max_age)
        return response


class PrivateFormAnswerMiddleware:
    """Never let a cache keep the answer to a form post: it shows what the visitor typed.

    Redirects (the usual answer to a valid post) carry nothing and are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and not 300 <= response.status_code < 400:
            add_never_cache_headers(response)
        return response
