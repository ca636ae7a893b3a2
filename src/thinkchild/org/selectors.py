"""Reading users and teams (for the `user` command, the API token check and the admin pages)."""

from django.db.models import QuerySet

from thinkchild.org.models import ApiToken, Team, User


def user_list(*, include_inactive: bool = True) -> QuerySet[User]:
    users = User.objects.select_related("team__area", "force").order_by("username")
    return users if include_inactive else users.filter(is_active=True)


def user_get_by_username(*, username: str) -> User:
    """Raises User.DoesNotExist with a message that names the user."""
    try:
        return User.objects.select_related("team__area").get(username__iexact=username)
    except User.DoesNotExist:
        raise User.DoesNotExist(f"No user called {username!r}.") from None


def team_get_by_code(*, code: str) -> Team:
    teams = list(Team.objects.select_related("force", "area").filter(code=code)[:2])
    if not teams:
        known = ", ".join(Team.objects.order_by("code").values_list("code", flat=True)[:30])
        raise Team.DoesNotExist(f"No team with code {code!r}. Known teams: {known or 'none yet'}.")
    if len(teams) > 1:
        raise Team.MultipleObjectsReturned(f"More than one force has a team {code!r}.")
    return teams[0]


def api_tokens_live_by_prefix(*, prefix: str) -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user").filter(
        key_prefix=prefix, revoked_at__isnull=True
    )
