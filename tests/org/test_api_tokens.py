"""API bearer tokens (thinkchild.api.auth.ApiTokenAuth) for system accounts."""

import pytest
import time_machine
from django.utils import timezone

from tests import factories
from thinkchild.access.models import Channel, Operation, ProcessingLogEntry
from thinkchild.org import services
from thinkchild.org.models import ApiToken, Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.org.api_urls")]
URL = "/api/test/whoami"


@pytest.fixture
def account():
    return factories.UserFactory(username="niche-feed", role=Role.SYSTEM_ACCOUNT)


@pytest.fixture
def token(account):
    return services.api_token_issue(user=account, name="nightly feed")


def call(client, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get(URL, headers=headers)


def test_a_valid_token_authenticates_the_system_account(client, account, token):
    with time_machine.travel("2026-06-01 09:00:00+00:00", tick=False):
        response = call(client, token)
    assert response.status_code == 200
    assert response.json() == {"username": "niche-feed", "channel": Channel.API}
    stored = ApiToken.objects.get(user=account)
    assert stored.last_used_at == timezone.datetime(2026, 6, 1, 9, tzinfo=timezone.UTC)


def test_a_disclosure_through_the_api_names_the_account_as_recipient(client, token):
    call(client, token)
    entry = ProcessingLogEntry.objects.get(operation=Operation.DISCLOSURE)
    assert (entry.recipient, entry.channel, entry.actor_label) == (
        "niche-feed",
        Channel.API,
        entry.actor.display_name,
    )


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: None,  # no header
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character wrong
        lambda t: t.replace("tc_", "xx_", 1),
        lambda t: "tc_" + "0" * 10 + "_" + t.rsplit("_", 1)[-1],  # unknown prefix
        lambda t: "",
        lambda t: "tc_",
    ],
)
def test_wrong_tokens_are_refused(client, token, mangle):
    assert call(client, mangle(token)).status_code == 401


def test_a_revoked_token_is_refused(client, account, token):
    services.api_token_revoke(user=account, name="nightly feed")
    assert call(client, token).status_code == 401


def test_a_deactivated_account_is_refused(client, account, token):
    services.user_deactivate(user=account)
    assert call(client, token).status_code == 401


def test_a_token_of_an_account_that_is_no_longer_a_system_account_is_refused(
    client, account, token
):
    services.user_update(user=account, role=Role.PPU_LEAD)
    assert call(client, token).status_code == 401
