"""The admin site opens to the roles that manage users, by the role matrix, not model perms."""

import pytest
from django.urls import reverse

from tests import factories
from tests.org.sessions import sign_in
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db


def test_the_system_administrator_manages_users_and_teams_without_model_permissions(client):
    admin = factories.UserFactory(role=Role.SYSTEM_ADMIN, is_staff=True)
    officer = factories.UserFactory(role=Role.OFFICER)
    sign_in(client, admin)
    assert client.get(reverse("admin:org_user_changelist")).status_code == 200
    assert client.get(reverse("admin:org_team_changelist")).status_code == 200
    assert client.get(reverse("admin:org_user_change", args=[officer.pk])).status_code == 200
    # Users are deactivated, never deleted: their history and log entries keep a name.
    delete = reverse("admin:org_user_delete", args=[officer.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_other_staff_roles_cannot_manage_users(client):
    supervisor = factories.UserFactory(role=Role.SUPERVISOR, is_staff=True)
    sign_in(client, supervisor)
    assert client.get(reverse("admin:org_user_changelist")).status_code == 403
