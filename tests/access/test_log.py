"""The s.62 processing log: justification where the law asks for one, and append-only."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from tests import factories
from thinkchild.access.context import acting_through
from thinkchild.access.log import Subject, processing_log_record, processing_log_record_many
from thinkchild.access.models import Channel, Operation, ProcessingLogEntry

pytestmark = pytest.mark.django_db


def _entry(**kwargs) -> ProcessingLogEntry:
    return processing_log_record(
        operation=kwargs.pop("operation", Operation.COLLECTION),
        actor=kwargs.pop("actor", None),
        subject=Subject(type="person", id=uuid.uuid4(), label="Test subject"),
        **kwargs,
    )


@pytest.mark.parametrize("operation", [Operation.CONSULTATION, Operation.DISCLOSURE])
def test_consultation_and_disclosure_need_a_justification(operation):
    with pytest.raises(ValueError, match="justification"):
        _entry(operation=operation)
    with pytest.raises(ValueError, match="justification"):
        processing_log_record_many(
            operation=operation,
            actor=None,
            subjects=[Subject(type="person", id=uuid.uuid4())],
        )
    assert not ProcessingLogEntry.objects.exists()


def test_an_entry_records_who_when_how_and_why():
    user = factories.UserFactory()
    with acting_through(Channel.WEB, source_ip="192.0.2.10") as ctx:
        entry = _entry(
            operation=Operation.CONSULTATION, actor=user, justification="Allocated officer"
        )
    assert entry.actor_label == user.display_name
    assert entry.channel == Channel.WEB
    assert entry.request_id == ctx.request_id
    assert entry.source_ip == "192.0.2.10"
    assert entry.justification == "Allocated officer"


def test_a_disclosure_names_the_system_account_receiving_it():
    with acting_through(Channel.API, recipient="niche-feed"):
        entry = _entry(operation=Operation.DISCLOSURE, justification="API response")
    assert entry.recipient == "niche-feed"


def test_the_application_cannot_change_or_delete_an_entry():
    entry = _entry()
    entry.justification = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.filter(pk=entry.pk).update(justification="rewritten")
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.filter(pk=entry.pk).delete()
    assert ProcessingLogEntry.objects.get(pk=entry.pk).justification == ""


def test_the_database_refuses_a_raw_update():
    entry = _entry()
    table = ProcessingLogEntry._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET justification = 'rewritten'")
    assert ProcessingLogEntry.objects.get(pk=entry.pk).justification == ""


def test_on_postgresql_the_database_refuses_a_raw_delete_too():
    entry = _entry()
    table = ProcessingLogEntry._meta.db_table
    if connection.vendor != "postgresql":
        # SQLite keeps no DELETE trigger (its test flush is a DELETE): the application refuses it.
        with pytest.raises(PermissionError):
            entry.delete()
        return
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table}")
    assert ProcessingLogEntry.objects.filter(pk=entry.pk).exists()
