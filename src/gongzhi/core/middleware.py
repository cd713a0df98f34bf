"""Marks htmx requests: ``request.htmx`` (bool) and ``request.htmx_target`` (the target element id)."""


class HtmxMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = request.headers.get("HX-Request") == "true"
        request.htmx_target = request.headers.get("HX-Target", "") if request.htmx else ""
        response = self.get_response(request)
        if request.htmx:
            response.headers.setdefault("Vary", "HX-Request")
        return response


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and Permissions-Policy of every response (settings
    ``GONGZHI_CONTENT_SECURITY_POLICY`` and ``GONGZHI_PERMISSIONS_POLICY``); a view may set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.GONGZHI_CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.GONGZHI_PERMISSIONS_POLICY)
        return response


class RefuseNulMiddleware:
    """400 for a NUL character in the path, the query string or a posted form: no text column can
    hold one (PostgreSQL refuses it), so such a request could only end in a 500 deep in a query.
    (The API's JSON bodies are checked by its parser.)"""

    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": "NUL characters are not accepted"}, status=400)
            from django.shortcuts import render

            return render(request, "400.html", status=400)
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        if "\x00" in request.path_info:
            return True
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        if request.method == "POST" and request.content_type in self.FORMS:
            return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
        return False
