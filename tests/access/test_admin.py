"""The processing log in the admin site: readable by the administrator, never editable."""

import uuid

import pytest
from django.urls import reverse

from tests import factories
from tests.org.sessions import sign_in
from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    lead = factories.UserFactory(role=Role.PPU_LEAD, is_staff=True, is_superuser=True)
    return sign_in(client, lead)


def test_a_superuser_system_administrator_cannot_read_the_log_in_the_admin(client):
    """The log names children and holds reasons: the system administrator reads neither."""
    admin = factories.UserFactory(role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    sign_in(client, admin)
    processing_log_record(
        operation=Operation.COLLECTION,
        actor=None,
        subject=Subject(type="person", id=uuid.uuid4(), label="Logged person"),
    )
    listing = client.get(reverse("admin:access_processinglogentry_changelist"))
    assert listing.status_code == 403
    assert "Logged person" not in client.get(reverse("admin:index")).text


def test_the_admin_shows_the_log_but_offers_no_way_to_change_it(admin_client):
    entry = processing_log_record(
        operation=Operation.COLLECTION,
        actor=None,
        subject=Subject(type="person", id=uuid.uuid4(), label="Logged person"),
    )
    listing = admin_client.get(reverse("admin:access_processinglogentry_changelist"))
    assert listing.status_code == 200
    assert "Logged person" in listing.text
    assert admin_client.get(reverse("admin:access_processinglogentry_add")).status_code == 403
    detail = admin_client.get(reverse("admin:access_processinglogentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.text
    delete = reverse("admin:access_processinglogentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert "delete_selected" not in listing.text
