"""System checks that stop a production start with demo accounts or a published password.

The account checks read the database, so (like Django's own database checks) they run when a
database is named: `migrate` (which `thinkchild run` performs before serving) and
`check --database default`; and always under `check --deploy`. A database copied from a demo
cannot go live unnoticed.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connection

from thinkchild.org.models import Role

MIDDLEWARE = "thinkchild.org.middleware.TwoFactorRequiredMiddleware"
# Checking a password against an argon2 hash takes ~0.15 s, so the published demo password is
# checked on the accounts that matter most; the NotDemoPasswordValidator refuses it for everyone.
PRIVILEGED_ROLES = (Role.SYSTEM_ADMIN, Role.PPU_LEAD, Role.SYSTEM_ACCOUNT)


@register("thinkchild", Tags.database)
def demo_accounts_check(app_configs=None, databases=None, **kwargs) -> list[Error]:
    if "default" not in (databases or []):
        return []
    return demo_accounts_errors()


@register("thinkchild", deploy=True)
def demo_accounts_deploy_check(app_configs=None, **kwargs) -> list[Error]:
    return demo_accounts_errors()


def demo_accounts_errors() -> list[Error]:
    if settings.DEMO_MODE:
        return []
    from thinkchild.org.models import User

    if User._meta.db_table not in connection.introspection.table_names():
        return []  # not migrated yet: nothing to check
    errors = []
    demo = list(User.objects.filter(is_demo=True).values_list("username", flat=True)[:5])
    if demo:
        errors.append(
            Error(
                f"Demo users exist but demo mode is off (for example: {', '.join(demo)}).",
                hint=(
                    "This database was loaded with the demo force. Use a fresh database for "
                    "production, or set THINKCHILD_DEMO=1 if this really is a demonstration."
                ),
                id="thinkchild.E001",
            )
        )
    errors.extend(_demo_password_errors())
    return errors


def _demo_password_errors() -> list[Error]:
    from django.db.models import Q

    from thinkchild.org.demo import DEMO_PASSWORD
    from thinkchild.org.models import User

    privileged = User.objects.filter(is_active=True).filter(
        Q(role__in=PRIVILEGED_ROLES) | Q(is_staff=True) | Q(is_superuser=True)
    )
    found = [
        user.username
        for user in privileged.only("username", "password")
        if user.check_password(DEMO_PASSWORD)
    ]
    if not found:
        return []
    return [
        Error(
            f"Active accounts use the published demo password: {', '.join(found[:5])}.",
            hint="Set a new password with `thinkchild user set-password USERNAME`.",
            id="thinkchild.E002",
        )
    ]


@register("thinkchild", deploy=True)
def two_factor_middleware_check(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    middleware = list(settings.MIDDLEWARE)
    otp = "django_otp.middleware.OTPMiddleware"
    if MIDDLEWARE not in middleware or otp not in middleware:
        errors.append(
            Error(
                "Two-factor authentication is not enforced.",
                hint=f"Add {MIDDLEWARE!r} to MIDDLEWARE after {otp!r}.",
                id="thinkchild.E003",
            )
        )
    elif middleware.index(MIDDLEWARE) < middleware.index(otp):
        errors.append(
            Error(
                f"{MIDDLEWARE} runs before {otp}, so it cannot see whether a user is verified.",
                hint=f"Move it after {otp!r}.",
                id="thinkchild.E003",
            )
        )
    return errors


@register("thinkchild")
def two_factor_roles_check(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    unknown = sorted(set(settings.TWO_FACTOR_ROLES) - set(Role.values))
    if unknown:
        errors.append(
            Error(
                f"TWO_FACTOR_ROLES names unknown roles: {', '.join(unknown)}.",
                hint=f"Use org.Role values: {', '.join(Role.values)}.",
                id="thinkchild.E004",
            )
        )
    return errors
