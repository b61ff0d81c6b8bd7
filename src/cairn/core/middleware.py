"""Middleware Cairn adds to Django's."""


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "form-action 'self'",
    "base-uri 'none'", "object-src 'none'",
])


class NoStoreForCaseRecords:
    """Pages hold sensitive data: no browser or proxy may keep a copy after sign-out, and no
    script but Cairn's own may run in them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store, private")
            if not request.path.startswith("/admin/"):
                # Django's admin has inline scripts of its own; every Cairn page has none.
                response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
