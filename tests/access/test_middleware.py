"""Idle session expiry (access.middleware.IdleSessionMiddleware)."""

import time

import pytest
import time_machine
from django.urls import reverse

from tests import factories


@pytest.fixture
def officer(db):
    return factories.UserFactory()


def _sign_in(client, user):
    return client.post(
        reverse("org:sign_in"), {"username": user.username, "password": factories.PASSWORD}
    )


def test_an_idle_session_ends_after_thirty_minutes(client, officer, settings):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    with time_machine.travel(time.time(), tick=False) as traveller:
        _sign_in(client, officer)
        assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("web:home")).status_code == 200  # activity resets the clock
        traveller.shift(29 * 60)
        assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("org:sign_in") + "?expired=1"
    page = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity" in page.text
    assert client.get(reverse("web:home")).status_code == 302
