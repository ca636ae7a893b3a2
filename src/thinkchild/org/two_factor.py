"""TOTP two-factor authentication: who must use it, and what the enrolment page shows."""

import base64

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def two_factor_required(user) -> bool:
    """Roles in settings.TWO_FACTOR_ROLES (PPU lead and system administrator by default), and
    anyone who can reach the admin site: `thinkchild createsuperuser` makes a superuser whose
    role is the default (officer), and the admin must not open on a password alone."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.role in set(settings.TWO_FACTOR_ROLES)
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    )


def totp_device_confirmed(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at").first()


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app expects it typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code, drawn on the server (no script, no leak)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        border=4,
        dark="#0b0c0c",
        light="#ffffff",
        title="QR code to add Think Child to your authenticator app",
        svgclass="thinkchild-qr-code",
    )
