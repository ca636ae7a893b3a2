"""The demo force's shared password. Demo users exist only in demo mode (org/checks.py refuses a
production start while any remain, or while any account still uses this password)."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from thinkchild.org.models import User

DEMO_PASSWORD = "thinkchild-demo"  # noqa: S105  (published on purpose: demo mode only)


@transaction.atomic
def demo_users_enable(*, password: str = DEMO_PASSWORD, usernames: list[str] | None = None) -> int:
    """Give the demo users the demo password so the printed logins work. Demo mode only.

    With `usernames`, those users are first marked as demo users (the canonical format cannot say
    "demo user", so the demo marks its logins after importing them). Returns how many were set.
    """
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "Demo users can be enabled only in demo mode (THINKCHILD_DEMO=1)."
        )
    if usernames is not None:
        User.objects.filter(username__in=usernames).update(is_demo=True)
    # One hash for all: argon2 is deliberately slow, and these accounts share a public password.
    return User.objects.filter(is_demo=True).update(password=make_password(password))
