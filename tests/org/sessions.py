"""Signing a test client in as a user, past the second factor where their role needs one."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from thinkchild.org.two_factor import two_factor_required

TWO_FACTOR_MIDDLEWARE = "thinkchild.org.middleware.TwoFactorRequiredMiddleware"


def sign_in(client, user):
    """As if the user had entered their password and, if their role needs it, a TOTP code."""
    client.force_login(user)
    if two_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def enforce_two_factor(settings):
    """Until config/settings.py lists the middleware, put it where it belongs for this test."""
    if TWO_FACTOR_MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index("django_otp.middleware.OTPMiddleware") + 1, TWO_FACTOR_MIDDLEWARE
        )
        settings.MIDDLEWARE = middleware
