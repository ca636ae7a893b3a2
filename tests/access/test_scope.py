"""The access matrix: every role, both record kinds, in scope, out of scope and restricted.

EXPECTED is the matrix of docs/security.md written out by hand, so a change to access.policy that
widens or narrows a role fails here until someone changes this table on purpose.
"""

import pytest

from tests import factories
from tests.access.factories import access_list_add, incident_in, record_in, user_in
from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.access.policy import REACH, RecordKind
from thinkchild.access.scope import AccessDenied, ReasonRequired, decide, record_in_scope
from thinkchild.org.models import Role

ALLOW, REASON, DENY = "allow", "reason", "deny"

# role: (record in own area, record in another area), the same for people and incidents
EXPECTED = {
    Role.OFFICER: (ALLOW, REASON),
    Role.CONTROL_ROOM: (ALLOW, ALLOW),
    Role.SUPERVISOR: (ALLOW, REASON),
    Role.SPECIALIST: (ALLOW, REASON),
    Role.MASH: (ALLOW, ALLOW),
    Role.CUSTODY: (ALLOW, REASON),
    Role.DETECTIVE_INSPECTOR: (ALLOW, REASON),
    Role.AUDITOR: (ALLOW, REASON),
    Role.ANALYST: (DENY, DENY),
    Role.PPU_LEAD: (ALLOW, ALLOW),
    Role.SYSTEM_ADMIN: (DENY, DENY),
    Role.SYSTEM_ACCOUNT: (ALLOW, ALLOW),
}
KINDS = [
    RecordKind.PERSON,
    RecordKind.INCIDENT,
    RecordKind.INVESTIGATION,
    RecordKind.MISSING_EPISODE,
]
CASES = [(role, kind) for role in EXPECTED for kind in KINDS]
GOOD_REASON = "Attending a call at the neighbouring address tonight"


def outcome(user, kind, record, reason=None) -> str:
    try:
        decision = decide(
            user=user,
            kind=kind,
            record=record,
            in_scope=record_in_scope(user=user, kind=kind, record=record),
            reason=reason,
        )
    except ReasonRequired:
        return REASON
    except AccessDenied:
        return DENY
    return ALLOW if not decision.out_of_scope else "allow-with-reason"


@pytest.fixture
def areas(force):
    return factories.AreaFactory(force=force), factories.AreaFactory(force=force)


def test_the_table_covers_every_role_in_the_policy():
    assert set(EXPECTED) == set(REACH)


@pytest.mark.parametrize(("role", "kind"), CASES)
def test_record_in_own_area(role, kind, areas):
    own, _ = areas
    user = user_in(own, role)
    assert outcome(user, kind, record_in(kind, own)) == EXPECTED[role][0]


@pytest.mark.parametrize(("role", "kind"), CASES)
def test_record_in_another_area(role, kind, areas):
    own, other = areas
    user = user_in(own, role)
    record = record_in(kind, other)
    expected = EXPECTED[role][1]
    assert outcome(user, kind, record) == expected
    if expected == REASON:
        # The same record opens once the user says why, and is marked as out of scope.
        assert outcome(user, kind, record, reason=GOOD_REASON) == "allow-with-reason"
        assert outcome(user, kind, record, reason="because") == REASON  # too short to mean much


@pytest.mark.parametrize(("role", "kind"), CASES)
def test_restricted_record_opens_only_for_its_access_list(role, kind, areas):
    own, _ = areas
    user = user_in(own, role)
    record = record_in(kind, own, is_restricted=True)
    # Not on the list: refused whatever the role (PPU lead, control room included), even with a
    # reason.
    assert outcome(user, kind, record) == DENY
    assert outcome(user, kind, record, reason=GOOD_REASON) == DENY
    access_list_add(record, kind, user)
    assert outcome(user, kind, record) == EXPECTED[role][0]


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_of_another_force_is_refused_even_to_force_wide_roles(kind, area):
    other_force_area = factories.AreaFactory(force=factories.ForceFactory(code="elsewhere"))
    user = user_in(area, Role.PPU_LEAD)
    assert outcome(user, kind, record_in(kind, other_force_area)) == DENY


def test_an_incident_allocated_to_an_officer_is_in_their_scope_wherever_it_is(areas):
    own, other = areas
    officer = user_in(own, Role.OFFICER)
    incident = incident_in(other, allocated_to=officer)
    assert outcome(officer, RecordKind.INCIDENT, incident) == ALLOW


def test_a_person_in_an_incident_in_scope_is_in_scope_wherever_they_live(areas):
    own, other = areas
    officer = user_in(own, Role.OFFICER)
    child = record_in(RecordKind.PERSON, other)
    factories.ParticipantFactory(incident=incident_in(own), person=child)
    assert outcome(officer, RecordKind.PERSON, child) == ALLOW


def test_a_deactivated_user_opens_nothing(area):
    user = user_in(area, Role.CONTROL_ROOM, is_active=False)
    assert outcome(user, RecordKind.PERSON, record_in(RecordKind.PERSON, area)) == DENY


def test_the_refusal_names_the_record_so_the_web_can_ask_for_a_reason(areas):
    own, other = areas
    officer = user_in(own, Role.OFFICER)
    person = record_in(RecordKind.PERSON, other)
    with pytest.raises(ReasonRequired) as refusal:
        decide(user=officer, kind=RecordKind.PERSON, record=person, in_scope=False, reason=None)
    assert (refusal.value.kind, refusal.value.record_id) == ("person", person.pk)


def test_out_of_scope_access_is_logged_with_the_reason_given(areas):
    own, other = areas
    officer = user_in(own, Role.OFFICER)
    person = record_in(RecordKind.PERSON, other)
    with pytest.raises(ReasonRequired):
        decide(user=officer, kind=RecordKind.PERSON, record=person, in_scope=False, reason=None)

    decision = decide(
        user=officer, kind=RecordKind.PERSON, record=person, in_scope=False, reason=GOOD_REASON
    )
    processing_log_record(
        operation=Operation.CONSULTATION,
        actor=officer,
        subject=Subject(type=RecordKind.PERSON, id=person.pk, label="A child"),
        justification=decision.justification,
        out_of_scope=decision.out_of_scope,
    )

    entry = ProcessingLogEntry.objects.get(subject_id=person.pk)
    assert entry.out_of_scope is True
    assert entry.justification == GOOD_REASON
    assert entry.actor == officer
    assert entry.operation == Operation.CONSULTATION
