"""Reading incidents: scope per role, restriction, the reason flow, filters and the log."""

import datetime as dt

import pytest

from tests import factories
from tests.incidents.factories import beat, grant, user_in
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.access.scope import AccessDenied, ReasonRequired
from thinkchild.incidents import selectors
from thinkchild.incidents.models import IncidentType
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(force):
    return beat(force)


@pytest.fixture
def officer(force, places):
    return user_in(Role.OFFICER, force=force, team=places.north_team)


def incident_in(area, **fields):
    return factories.IncidentFactory(force=area.force, area=area, **fields)


def listed(user, **filters):
    return {i.reference for i in selectors.incident_search(user=user, **filters).object_list}


def test_an_officer_sees_their_area_their_team_and_what_is_allocated_to_them(officer, places):
    own_area = incident_in(places.north, reference="OWN-AREA")
    own_team = incident_in(places.south, team=places.north_team, reference="OWN-TEAM")
    allocated = incident_in(places.south, allocated_to=officer, reference="ALLOCATED")
    incident_in(places.south, reference="ELSEWHERE")

    assert listed(officer) == {own_area.reference, own_team.reference, allocated.reference}


def test_control_room_sees_the_whole_force(force, places):
    control_room = user_in(Role.CONTROL_ROOM, force=force)
    incident_in(places.north, reference="N-1")
    incident_in(places.south, reference="S-1")
    other_force = factories.ForceFactory(code="elsewhere", name="Elsewhere Police")
    incident_in(factories.AreaFactory(force=other_force), reference="OTHER-FORCE")

    assert listed(control_room) == {"N-1", "S-1"}


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SYSTEM_ADMIN])
def test_analysts_and_system_administrators_cannot_search_or_open_incidents(force, places, role):
    user = user_in(role, force=force)
    incident = incident_in(places.north)
    with pytest.raises(AccessDenied):
        selectors.incident_search(user=user)
    with pytest.raises(AccessDenied):
        selectors.incident_get(user=user, incident_id=incident.pk, reason="A long enough reason")
    assert not ProcessingLogEntry.objects.filter(operation=Operation.CONSULTATION).exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CONTROL_ROOM, Role.PPU_LEAD])
def test_a_restricted_incident_is_hidden_unless_the_user_is_on_its_access_list(force, places, role):
    team = places.north_team if role == Role.OFFICER else None
    user = user_in(role, force=force, team=team)
    restricted = incident_in(places.north, is_restricted=True, reference="RESTRICTED")

    assert "RESTRICTED" not in listed(user)
    with pytest.raises(AccessDenied, match="access list"):
        selectors.incident_get(user=user, incident_id=restricted.pk)

    grant(user, restricted)
    assert "RESTRICTED" in listed(user)
    assert selectors.incident_get(user=user, incident_id=restricted.pk) == restricted


def test_opening_an_incident_outside_scope_asks_for_a_reason_and_logs_it(officer, places):
    elsewhere = incident_in(places.south)
    with pytest.raises(ReasonRequired):
        selectors.incident_get(user=officer, incident_id=elsewhere.pk)
    with pytest.raises(ReasonRequired):
        selectors.incident_get(user=officer, incident_id=elsewhere.pk, reason="because")

    reason = "Missing child from my area was seen at this address"
    opened = selectors.incident_get(user=officer, incident_id=elsewhere.pk, reason=reason)

    assert opened == elsewhere
    entry = ProcessingLogEntry.objects.get(subject_id=elsewhere.pk)
    assert entry.operation == Operation.CONSULTATION
    assert entry.out_of_scope is True
    assert entry.justification == reason
    assert entry.actor == officer


def test_opening_an_incident_in_scope_logs_a_consultation_with_the_basis(officer, places):
    incident = incident_in(places.north)
    selectors.incident_get(user=officer, incident_id=incident.pk)
    entry = ProcessingLogEntry.objects.get(subject_id=incident.pk)
    assert entry.operation == Operation.CONSULTATION
    assert entry.out_of_scope is False
    assert entry.justification.startswith("In scope")


def test_an_auditor_may_read_but_not_open_an_incident_to_change_it(force, places):
    from thinkchild.access.policy import Action

    auditor = user_in(Role.AUDITOR, force=force, team=places.north_team)
    incident = incident_in(places.north)
    assert selectors.incident_get(user=auditor, incident_id=incident.pk) == incident
    with pytest.raises(AccessDenied):
        selectors.incident_get(user=auditor, incident_id=incident.pk, action=Action.RECORD)


def test_search_filters_by_child_marker_reference_type_and_london_dates(officer, places):
    child = incident_in(
        places.north,
        reference="TC-2026-000001",
        has_child=True,
        occurred_at=dt.datetime(2026, 6, 9, 23, 30, tzinfo=dt.UTC),  # 10 June in London
    )
    adult = incident_in(
        places.north,
        reference="TC-2026-000002",
        type=IncidentType.objects.get(code="theft"),
        occurred_at=dt.datetime(2026, 6, 9, 12, 0, tzinfo=dt.UTC),
    )

    assert listed(officer, has_child=True) == {child.reference}
    assert listed(officer, reference="tc-2026-000002") == {adult.reference}
    assert listed(officer, incident_type="theft") == {adult.reference}
    assert listed(officer, date_from=dt.date(2026, 6, 10)) == {child.reference}
    assert listed(officer, date_to=dt.date(2026, 6, 9)) == {adult.reference}


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("TC-2026-0000", {"TC-2026-000019", "TC-2026-000020", "tc-2026-000029"}),
        ("tc-2026-00002", {"TC-2026-000020", "tc-2026-000029"}),
        ("TC-2026-000019", {"TC-2026-000019"}),
        ("TC-2026-9", set()),
        ("TC-", {"TC-2026-000019", "TC-2026-000020", "tc-2026-000029"}),
        ("100%", set()),  # a LIKE wildcard is a character like any other
    ],
)
def test_a_reference_is_found_by_its_start_in_any_case(officer, places, typed, found):
    for reference in ("TC-2026-000019", "TC-2026-000020", "tc-2026-000029", "XC-2026-000019"):
        incident_in(places.north, reference=reference)
    incident_in(places.north, reference="1000")
    assert listed(officer, reference=typed) == found


def test_search_is_newest_first_with_participant_counts(officer, places):
    older = incident_in(places.north, occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    newer = incident_in(places.north, occurred_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    factories.ParticipantFactory.create_batch(2, incident=older)

    page = selectors.incident_search(user=officer)
    assert list(page.object_list) == [newer, older]
    assert [i.participant_count for i in page.object_list] == [0, 2]


def test_search_logs_one_consultation_per_listed_incident(officer, places):
    shown = [incident_in(places.north) for _ in range(3)]
    hidden = incident_in(places.south)
    selectors.incident_search(user=officer)
    logged = set(
        ProcessingLogEntry.objects.filter(operation=Operation.CONSULTATION).values_list(
            "subject_id", flat=True
        )
    )
    assert logged == {i.pk for i in shown}
    assert hidden.pk not in logged


def test_a_system_account_read_is_logged_as_a_disclosure_to_it(force, places):
    account = user_in(Role.SYSTEM_ACCOUNT, force=force)
    incident = incident_in(places.north)
    selectors.incident_get(user=account, incident_id=incident.pk)
    entry = ProcessingLogEntry.objects.get(subject_id=incident.pk)
    assert entry.operation == Operation.DISCLOSURE
    assert entry.recipient == account.username


def test_participant_rows_give_ages_at_the_time_and_hide_restricted_people(officer, places):
    incident = incident_in(places.north, occurred_at=dt.datetime(2026, 3, 10, 20, tzinfo=dt.UTC))
    child = factories.PersonFactory(
        force=incident.force, given_name="Amelia", date_of_birth=dt.date(2015, 4, 2)
    )
    secret = factories.PersonFactory(force=incident.force, given_name="Hidden", is_restricted=True)
    factories.ParticipantFactory(incident=incident, person=child, role="child_present")
    factories.ParticipantFactory(incident=incident, person=secret, role="witness")

    fetched = selectors.incident_get(user=officer, incident_id=incident.pk)
    rows = {r.role: r for r in selectors.participant_rows(user=officer, incident=fetched)}

    assert rows["child_present"].age == 10
    assert rows["child_present"].counts_as_child is True
    assert rows["witness"].hidden is True
    assert rows["witness"].name == "Restricted person"
