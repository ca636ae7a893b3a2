"""Every write to users, their passwords, their second factor and their API tokens.

Users are not the data subjects of the law-enforcement processing, so these writes are recorded in
the user's change history (django-simple-history, with the actor) rather than the s.62 log.
"""

import hashlib
import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    validate_password,
)
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from thinkchild.org.models import ApiToken, Force, Role, Team, User
from thinkchild.org.passwords import NotDemoPasswordValidator
from thinkchild.org.two_factor import DEVICE_NAME, totp_device_confirmed

# Tokens look like "tc_<prefix>_<secret>": the prefix finds the row, the hash of the whole token
# proves it; "tc_" lets secret scanners recognise a leaked token.
TOKEN_SCHEME = "tc"  # noqa: S105  (a prefix, not a secret)


class _Unset:
    pass


UNSET = _Unset()


def _with_actor(user: User, actor: User | None) -> User:
    # django-simple-history records `_history_user` as the author of the change.
    if actor is not None:
        user._history_user = actor
    return user


def _check_role(role: str) -> str:
    if role not in Role.values:
        known = ", ".join(Role.values)
        raise ValueError(f"Unknown role {role!r}. Choose one of: {known}.")
    return role


def _check_password(password: str, user: User) -> None:
    if user.role == Role.SYSTEM_ACCOUNT:
        # A system account reaches the whole force through the API; it must never sign in.
        raise ValueError("System accounts have no password: issue them an API token instead.")
    validators = [*get_default_password_validators(), NotDemoPasswordValidator()]
    validate_password(password, user, password_validators=validators)


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    team: Team | None = None,
    force: Force | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    rank: str = "",
    collar_number: str = "",
    password: str | None = None,
    is_demo: bool = False,
    is_active: bool = True,
    actor: User | None = None,
) -> User:
    """A new user. Without a password the account cannot sign in until one is set."""
    _check_role(role)
    if User.objects.filter(username__iexact=username).exists():
        raise ValueError(f"A user called {username!r} already exists.")
    user = User(
        username=username,
        role=role,
        team=team,
        force=team.force if team else force,
        first_name=first_name,
        last_name=last_name,
        email=email,
        rank=rank,
        collar_number=collar_number,
        is_demo=is_demo,
        is_active=is_active,
        # The admin site is for the system administrator only.
        is_staff=role == Role.SYSTEM_ADMIN,
    )
    if password is None:
        user.set_unusable_password()
    else:
        _check_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    _with_actor(user, actor).save()
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    actor: User | None = None,
    first_name: str | _Unset = UNSET,
    last_name: str | _Unset = UNSET,
    email: str | _Unset = UNSET,
    rank: str | _Unset = UNSET,
    collar_number: str | _Unset = UNSET,
    role: str | _Unset = UNSET,
    team: Team | None | _Unset = UNSET,
    is_active: bool | _Unset = UNSET,
) -> User:
    """Change the given fields only (UNSET leaves a field as it is)."""
    changes = {
        name: value
        for name, value in {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "rank": rank,
            "collar_number": collar_number,
            "role": role,
            "team": team,
            "is_active": is_active,
        }.items()
        if value is not UNSET
    }
    if "role" in changes:
        _check_role(changes["role"])
        changes["is_staff"] = changes["role"] == Role.SYSTEM_ADMIN
    if "team" in changes and changes["team"] is not None:
        changes["force"] = changes["team"].force
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    _with_actor(user, actor).save(update_fields=list(changes))
    if changes.get("is_active") is False:
        user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: User | None = None) -> User:
    """Set a password that passes the configured validators (raises ValidationError if not)."""
    _check_password(password, user)
    user.set_password(password)
    _with_actor(user, actor).save(update_fields=["password"])
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """The account can no longer sign in, its open sessions stop working, its tokens are revoked."""
    return user_update(user=user, is_active=False, actor=actor)


def user_unlock(*, user: User) -> int:
    """Clear failed sign-in attempts, so a locked-out user can try again now. Returns the count."""
    return axes_reset(username=user.username)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str) -> str:
    """A new bearer token for a system account. Returned once; only its hash is kept."""
    if user.role != Role.SYSTEM_ACCOUNT:
        raise ValueError("API tokens are issued to system accounts only (role system_account).")
    if not user.is_active:
        raise ValueError(f"{user.username} is deactivated.")
    prefix = secrets.token_hex(5)
    token = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(user=user, name=name, key_prefix=prefix, key_hash=_token_hash(token))
    return token


@transaction.atomic
def api_token_revoke(*, user: User, name: str | None = None) -> int:
    """Revoke the user's live tokens with this name (all of them if no name). Returns the count."""
    tokens = user.api_tokens.filter(revoked_at__isnull=True)
    if name is not None:
        tokens = tokens.filter(name=name)
    return tokens.update(revoked_at=timezone.now())


@transaction.atomic
def api_token_touch(*, token: ApiToken) -> None:
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret the first time the page is shown)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-created_at").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_verify(*, user: User, code: str) -> TOTPDevice | None:
    """The device that accepts `code` (confirming it if this finishes enrolment), or None.

    Failures are throttled by django-otp: each one doubles the wait before the next try.
    """
    device = totp_device_confirmed(user) or totp_device_for_enrolment(user=user)
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(code.replace(" ", "")):
        return None
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One authenticator per user: discard any other half-finished enrolments.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return device


def totp_device_reset(*, user: User) -> int:
    """Remove a user's authenticator (lost phone): they enrol again at their next sign-in."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
