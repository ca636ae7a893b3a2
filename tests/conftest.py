"""Test-wide setup. Tests run against the real database named by DATABASE_URL (SQLite if unset)."""

import pytest

from tests import factories


@pytest.fixture
def force(db):
    return factories.ForceFactory()


@pytest.fixture
def area(force):
    return factories.AreaFactory(force=force)
