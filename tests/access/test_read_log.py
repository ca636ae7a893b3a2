"""records_read_log: what a page or list read writes to the s.62 log."""

import uuid

import pytest

from tests.access.factories import user_in
from thinkchild.access.log import Subject, records_read_log
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db


def subjects(n):
    return [Subject(type="incident", id=uuid.uuid4(), label=f"INC-{i}") for i in range(n)]


def test_a_list_read_by_a_person_is_one_consultation_each(area):
    records_read_log(user=user_in(area, Role.OFFICER), subjects=subjects(3), justification="List")
    entries = ProcessingLogEntry.objects.all()
    assert [e.operation for e in entries] == [Operation.CONSULTATION] * 3
    assert not any(e.out_of_scope for e in entries)


def test_records_opened_out_of_scope_are_each_marked_so_with_the_reason(area):
    reason = "Attending the address tonight"
    records_read_log(
        user=user_in(area, Role.OFFICER), subjects=subjects(2), justification=reason,
        out_of_scope=True,
    )  # fmt: skip
    entries = ProcessingLogEntry.objects.all()
    assert [(e.out_of_scope, e.justification) for e in entries] == [(True, reason)] * 2


def test_a_system_accounts_read_is_a_disclosure_to_it(area):
    account = user_in(area, Role.SYSTEM_ACCOUNT)
    records_read_log(user=account, subjects=subjects(2), justification="API response")
    entries = ProcessingLogEntry.objects.all()
    assert {(e.operation, e.recipient) for e in entries} == {
        (Operation.DISCLOSURE, account.username)
    }
