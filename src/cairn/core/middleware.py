"""Middleware Cairn adds to Django's."""


class NoStoreForCaseRecords:
    """Pages hold sensitive data: no browser or proxy may keep a copy after sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response
