"""Per-request access context, idle session expiry, and the web's answer to a refusal."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from thinkchild.access.context import acting_through
from thinkchild.access.models import Channel
from thinkchild.access.scope import AccessDenied, ReasonRequired


class AccessContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        with acting_through(channel, source_ip=request.META.get("REMOTE_ADDR")) as ctx:
            request.request_id = ctx.request_id
            return self.get_response(request)


class IdleSessionMiddleware:
    """Sign a user out after THINKCHILD_SESSION_IDLE_SECONDS without a request."""

    key = "thinkchild_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(self.key)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(reverse(settings.LOGIN_URL) + "?expired=1")
            request.session[self.key] = now
        return self.get_response(request)


class AccessDeniedMiddleware:
    """Turns ReasonRequired into the reason-for-access page and AccessDenied into a 403 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AccessDenied | ReasonRequired):
            return None
        if request.path.startswith("/api/"):
            # A system account cannot answer a question; it gets the refusal and its cause.
            return JsonResponse({"detail": str(exception)}, status=403)
        if isinstance(exception, ReasonRequired):
            htmx = getattr(request, "htmx", None)
            # After the reason, go back to the page: for a fragment request, the page it came from.
            back = (htmx.current_url_abs_path if htmx else None) or request.get_full_path()
            query = urlencode(
                {"kind": exception.kind, "id": str(exception.record_id or ""), "next": back}
            )
            url = f"{reverse('access:reason')}?{query}"
            if htmx:
                # A fragment request must not swap the question into part of a page.
                return HttpResponseClientRedirect(url)
            return redirect(url)
        context = {"message": str(exception), "record_id": exception.record_id}
        return render(request, "access/denied.html", context, status=403)
