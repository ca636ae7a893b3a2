"""`thinkchild user ...` as an administrator types it."""

import io
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories
from thinkchild.org.models import ApiToken, Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "lantern-orchard-47-quietly"


def run(*args, stdin: str = "") -> str:
    out = io.StringIO()
    if stdin:
        saved, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            call_command("user", *args, stdout=out, stderr=io.StringIO())
        finally:
            sys.stdin = saved
    else:
        call_command("user", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def team(area):
    return factories.TeamFactory(area=area, force=area.force, code="preston-response")


def test_create_list_and_set_password(team):
    out = run(
        "create", "j.smith", "--role", "officer", "--team", "preston-response",
        "--collar", "4821", "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert "Created j.smith (Officer)" in out
    user = User.objects.get(username="j.smith")
    assert (user.team, user.collar_number) == (team, "4821")
    assert user.check_password(PASSWORD)
    listing = run("list")
    assert "j.smith" in listing and "preston-response" in listing and "4821" in listing
    run("set-password", "j.smith", "--password-stdin", stdin="another-long-passphrase-9\n")
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase-9")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "x", "--role", "sergeant"], "Unknown role 'sergeant'. Choose one of: officer"),
        (["create", "x", "--role", "officer", "--team", "nowhere"], "No team with code 'nowhere'"),
        (["set-password", "ghost", "--password-stdin"], "No user called 'ghost'"),
        (["deactivate", "ghost"], "No user called 'ghost'"),
    ],
)
def test_clear_errors(team, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, stdin="irrelevant-but-long-enough\n")


def test_a_weak_password_is_refused_with_the_validators_words(team):
    with pytest.raises(CommandError, match="too short"):
        run("create", "x", "--role", "officer", "--password-stdin", stdin="short\n")
    assert not User.objects.filter(username="x").exists()


def test_token_is_printed_once_and_can_be_revoked():
    factories.UserFactory(username="niche", role=Role.SYSTEM_ACCOUNT)
    token = run("token", "niche", "--name", "nightly feed").strip()
    assert token.startswith("tc_")
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert "Revoked 1 token." in run("revoke-token", "niche", "--name", "nightly feed")
    with pytest.raises(CommandError, match="system accounts only"):
        factories.UserFactory(username="lead", role=Role.PPU_LEAD)
        run("token", "lead", "--name", "x")


def test_deactivate_and_unlock():
    factories.UserFactory(username="leaver")
    assert "Deactivated leaver" in run("deactivate", "leaver")
    assert not User.objects.get(username="leaver").is_active
    assert "Unlocked leaver" in run("unlock", "leaver")
