"""Fixtures for the investigations tests: teams of each kind, a child and an adult."""

import datetime as dt

import pytest

from tests import factories
from thinkchild.org.models import TeamKind


@pytest.fixture
def teams(area):
    return {
        kind: factories.TeamFactory(area=area, force=area.force, kind=kind)
        for kind in (TeamKind.RESPONSE, TeamKind.CSE, TeamKind.CHILD_PROTECTION)
    }


@pytest.fixture
def child(area):
    return factories.PersonFactory(force=area.force, area=area, date_of_birth=dt.date(2012, 3, 1))


@pytest.fixture
def adult(area):
    return factories.PersonFactory(force=area.force, area=area, date_of_birth=dt.date(1980, 3, 1))
