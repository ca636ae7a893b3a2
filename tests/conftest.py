"""Test-wide setup. Tests run against the real database named by DATABASE_URL (SQLite if unset)."""

import pytest

from tests import factories


@pytest.fixture
def force(db):
    return factories.ForceFactory()


@pytest.fixture
def area(force):
    return factories.AreaFactory(force=force)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow by design (~0.15 s a hash) and the suite creates many users.

    tests/org/test_services.py::test_passwords_are_hashed_with_argon2 checks the real setting.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
