"""Second factor before anything else: a user whose role needs TOTP sees only the 2FA pages."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from thinkchild.org.two_factor import two_factor_required

# The pages a signed-in but unverified user may reach: the 2FA step itself and the way out.
_OPEN_URL_NAMES = ("org:sign_in", "org:sign_out", "org:two_factor")


class TwoFactorRequiredMiddleware:
    """Must come after django_otp.middleware.OTPMiddleware (which adds user.is_verified())."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and two_factor_required(user)
            and not user.is_verified()
            and not self._is_open(request.path)
        ):
            return redirect("org:two_factor")
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        # The API authenticates each call with its own bearer token, not the session.
        if path.startswith((settings.STATIC_URL, "/api/")):
            return True
        return path in {reverse(name) for name in _OPEN_URL_NAMES}
