"""Production safety: no demo accounts and no published password outside demo mode."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests import factories
from tests.org.sessions import enforce_two_factor
from thinkchild.org.checks import (
    demo_accounts_check,
    demo_accounts_deploy_check,
    two_factor_middleware_check,
    two_factor_roles_check,
)
from thinkchild.org.demo import DEMO_PASSWORD
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db


def _ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_demo_users_outside_demo_mode_stop_the_start(settings):
    settings.DEMO_MODE = False
    factories.UserFactory(username="demo.officer", is_demo=True)
    errors = demo_accounts_check(databases=["default"])
    assert _ids(errors) == ["thinkchild.E001"]
    assert "Demo users exist but demo mode is off" in errors[0].msg
    assert "demo.officer" in errors[0].msg
    assert _ids(demo_accounts_deploy_check()) == ["thinkchild.E001"]
    # `migrate` (which `thinkchild run` does first) names the database, so it refuses too.
    with pytest.raises(SystemCheckError, match="Demo users exist"):
        call_command("check", databases=["default"])


def test_demo_users_are_fine_in_demo_mode(settings):
    settings.DEMO_MODE = True
    factories.UserFactory(is_demo=True)
    assert demo_accounts_check(databases=["default"]) == []


def test_an_administrator_with_the_demo_password_stops_the_start(settings):
    settings.DEMO_MODE = False
    admin = factories.UserFactory(role=Role.SYSTEM_ADMIN, username="sysadmin")
    assert demo_accounts_check(databases=["default"]) == []
    admin.set_password(DEMO_PASSWORD)
    admin.save(update_fields=["password"])
    errors = demo_accounts_check(databases=["default"])
    assert _ids(errors) == ["thinkchild.E002"]
    assert "sysadmin" in errors[0].msg


def test_the_account_checks_wait_for_a_named_database_like_djangos_own(settings):
    settings.DEMO_MODE = False
    factories.UserFactory(is_demo=True)
    assert demo_accounts_check(databases=None) == []


def test_two_factor_must_be_enforced_by_the_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "TwoFactor" not in m]
    assert _ids(two_factor_middleware_check()) == ["thinkchild.E003"]
    enforce_two_factor(settings)
    assert two_factor_middleware_check() == []


def test_two_factor_roles_must_be_real_roles(settings):
    settings.TWO_FACTOR_ROLES = ["ppu_lead", "chief_constable"]
    errors = two_factor_roles_check()
    assert _ids(errors) == ["thinkchild.E004"]
    assert "chief_constable" in errors[0].msg
