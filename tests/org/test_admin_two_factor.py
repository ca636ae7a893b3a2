"""Security review: the admin site never opens on a password alone."""

import pytest
from django.urls import reverse

from tests import factories
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db


def test_a_superuser_with_a_frontline_role_must_use_a_second_factor(client):
    # What `thinkchild createsuperuser` makes: role left at its default (officer).
    superuser = factories.UserFactory(role=Role.OFFICER, is_staff=True, is_superuser=True)
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("org:two_factor")
