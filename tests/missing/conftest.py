"""Fixtures for the missing-children tests: a response team, a child of 14, an officer and a
sergeant of that team."""

import pytest

from tests.missing.factories import child_in, team_in, user
from thinkchild.org.models import Role


@pytest.fixture
def team(area):
    return team_in(area)


@pytest.fixture
def child(area):
    return child_in(area)


@pytest.fixture
def officer(team):
    return user(team)


@pytest.fixture
def sergeant(team):
    return user(team, Role.SUPERVISOR)
