"""Users, passwords, tokens: what an administrator does, and what each change leaves behind."""

import hashlib

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories
from thinkchild.org import services
from thinkchild.org.demo import DEMO_PASSWORD, demo_users_enable
from thinkchild.org.models import ApiToken, Role

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "lantern-orchard-47-quietly"


@pytest.fixture
def team(area):
    return factories.TeamFactory(area=area, force=area.force)


def test_user_create_puts_the_user_in_the_team_and_its_force(team):
    admin = factories.UserFactory(role=Role.SYSTEM_ADMIN)
    user = services.user_create(
        username="a.patel",
        role=Role.SUPERVISOR,
        team=team,
        collar_number="4412",
        password=GOOD_PASSWORD,
        actor=admin,
    )
    assert (user.team, user.force, user.area) == (team, team.force, team.area)
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_staff
    created = user.history.get()
    assert created.history_type == "+" and created.history_user == admin


def test_user_create_refuses_an_unknown_role_a_taken_name_and_a_weak_password(team):
    with pytest.raises(ValueError, match="Unknown role 'sergeant'"):
        services.user_create(username="x", role="sergeant", team=team)
    services.user_create(username="taken", role=Role.OFFICER, team=team)
    with pytest.raises(ValueError, match="already exists"):
        services.user_create(username="Taken", role=Role.OFFICER, team=team)
    with pytest.raises(ValidationError):
        services.user_create(username="weak", role=Role.OFFICER, team=team, password="password1")


def test_a_user_without_a_password_cannot_sign_in_until_one_is_set(team):
    user = services.user_create(username="no.password", role=Role.OFFICER, team=team)
    assert not user.has_usable_password()
    services.user_set_password(user=user, password=GOOD_PASSWORD)
    assert (
        Client()
        .post(reverse("org:sign_in"), {"username": "no.password", "password": GOOD_PASSWORD})
        .status_code
        == 302
    )


def test_passwords_go_through_the_validators_and_never_the_demo_password():
    user = factories.UserFactory()
    with pytest.raises(ValidationError, match="at least 12 characters"):
        services.user_set_password(user=user, password="short-1")
    with pytest.raises(ValidationError, match="published demo password"):
        services.user_set_password(user=user, password=DEMO_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)


def test_passwords_are_hashed_with_argon2(settings):
    from thinkchild.config import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # undo the fast test hasher
    user = services.user_set_password(user=factories.UserFactory(), password=GOOD_PASSWORD)
    assert user.password.startswith("argon2$argon2id$")


def test_user_update_records_the_change_and_its_author(team):
    admin = factories.UserFactory(role=Role.SYSTEM_ADMIN)
    user = factories.UserFactory(role=Role.OFFICER)
    services.user_update(user=user, role=Role.SUPERVISOR, rank="Sergeant", team=team, actor=admin)
    user.refresh_from_db()
    assert (user.role, user.rank, user.team) == (Role.SUPERVISOR, "Sergeant", team)
    latest = user.history.first()
    assert latest.history_user == admin and latest.role == Role.SUPERVISOR
    with pytest.raises(ValueError, match="Unknown role"):
        services.user_update(user=user, role="chief")


def test_deactivating_ends_sessions_and_revokes_tokens():
    user = factories.UserFactory(role=Role.SYSTEM_ACCOUNT)
    services.api_token_issue(user=user, name="niche feed")
    client = Client()
    client.force_login(user)
    services.user_deactivate(user=user)
    assert client.get(reverse("web:home")).status_code == 302
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_unlocking_clears_the_failed_attempts(settings):
    user = factories.UserFactory()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("org:sign_in"), {"username": user.username, "password": "wrong-one"})
    assert AccessAttempt.objects.filter(username=user.username).exists()
    assert services.user_unlock(user=user) == 1
    response = client.post(
        reverse("org:sign_in"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_a_token_is_shown_once_and_only_its_hash_is_kept():
    account = factories.UserFactory(role=Role.SYSTEM_ACCOUNT)
    token = services.api_token_issue(user=account, name="niche feed")
    stored = ApiToken.objects.get(user=account)
    assert token.startswith(f"tc_{stored.key_prefix}_")
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.key_hash, stored.key_prefix, stored.name}


def test_tokens_are_for_system_accounts_only():
    with pytest.raises(ValueError, match="system accounts only"):
        services.api_token_issue(user=factories.UserFactory(role=Role.PPU_LEAD), name="mine")


def test_revoking_by_name_leaves_other_tokens_working():
    account = factories.UserFactory(role=Role.SYSTEM_ACCOUNT)
    services.api_token_issue(user=account, name="old")
    services.api_token_issue(user=account, name="new")
    assert services.api_token_revoke(user=account, name="old") == 1
    live = ApiToken.objects.filter(user=account, revoked_at__isnull=True)
    assert list(live.values_list("name", flat=True)) == ["new"]


def test_demo_users_get_the_demo_password_only_in_demo_mode(settings):
    demo = factories.UserFactory(is_demo=True)
    real = factories.UserFactory()
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        demo_users_enable()
    settings.DEMO_MODE = True
    assert demo_users_enable() == 1
    demo.refresh_from_db()
    real.refresh_from_db()
    assert demo.check_password(DEMO_PASSWORD)
    assert not real.check_password(DEMO_PASSWORD)


def test_a_system_account_never_gets_a_password(team):
    with pytest.raises(ValueError, match="System accounts have no password"):
        services.user_create(
            username="feed", role=Role.SYSTEM_ACCOUNT, team=team, password=GOOD_PASSWORD
        )
    account = services.user_create(username="feed", role=Role.SYSTEM_ACCOUNT, team=team)
    with pytest.raises(ValueError, match="System accounts have no password"):
        services.user_set_password(user=account, password=GOOD_PASSWORD)


def test_the_demo_marks_its_logins_as_demo_users(settings):
    settings.DEMO_MODE = True
    login = factories.UserFactory(username="demo.officer")
    other = factories.UserFactory()
    assert demo_users_enable(usernames=["demo.officer"]) == 1
    login.refresh_from_db()
    other.refresh_from_db()
    assert login.is_demo and login.check_password(DEMO_PASSWORD)
    assert not other.is_demo and not other.check_password(DEMO_PASSWORD)
