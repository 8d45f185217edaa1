from django.conf import settings


class EditorContentSecurityPolicyMiddleware:
    """Give admin pages the relaxed policy that CKEditor 4 needs; public pages keep the strict one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL_PATH

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix):
            response._csp_config = settings.EDITOR_CSP
        return response
