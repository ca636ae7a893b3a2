"""Loading the generated force through the importer, as any source system's files would be."""

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.db import transaction

from thinkchild.demo.org import DEMO_LOGINS, FORCE_CODE, FORCE_NAME


class DemoRefused(Exception):
    """The database already belongs to another force: the demo would mix with real records."""


def demo_check_database() -> None:
    from thinkchild.org.models import Force

    other = Force.objects.exclude(code=FORCE_CODE).order_by("code").first()
    if other is not None:
        raise DemoRefused(
            f"This database already holds another force ({other.name}). The demo force "
            f"({FORCE_NAME}) is loaded only into an empty database or one that holds the demo "
            "already. Point DATABASE_URL or THINKCHILD_SQLITE_PATH at another database."
        )


def demo_load(*, paths: Sequence[Path], progress: bool = True):
    """Import the files, then mark the demo logins and, in demo mode, give them the password."""
    from thinkchild.interchange.services import import_files

    demo_check_database()
    summary = import_files(paths=[str(p) for p in paths], actor=None, progress=progress)
    demo_logins_enable(usernames=[login[0] for login in DEMO_LOGINS])
    return summary


@transaction.atomic
def demo_logins_enable(*, usernames: list[str]) -> int:
    """Mark the demo logins as demo users, and in demo mode set the demo password on them.

    The canonical user record cannot say "demo user" (a source system never should), so the
    demo marks its own logins after the import.
    """
    from thinkchild.org import demo
    from thinkchild.org.models import User

    if settings.DEMO_MODE:
        return demo.demo_users_enable(usernames=usernames)
    # Outside demo mode the logins stay marked and password-less, so the production check
    # (org/checks.py) refuses to start until they are gone.
    return User.objects.filter(username__in=usernames).update(is_demo=True)
