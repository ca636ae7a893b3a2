"""Opening one person: in scope it is logged with the basis; out of scope it needs a reason."""

import pytest

from tests import factories
from tests.people import factories as people_factories
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.access.scope import AccessDenied, ReasonRequired
from thinkchild.org.models import Role, TeamKind
from thinkchild.people.selectors import person_get

pytestmark = pytest.mark.django_db

REASON = "Attending a call at the address tonight; checking who lives there"


@pytest.fixture
def officer(area):
    return people_factories.local_user(area)


@pytest.fixture
def elsewhere(force):
    return factories.PersonFactory(force=force, area=factories.AreaFactory(force=force))


def test_a_person_in_scope_opens_and_the_consultation_is_logged(officer, area):
    local = factories.PersonFactory(force=area.force, area=area)
    opened = person_get(user=officer, person_id=local.pk)
    assert opened == local
    [entry] = ProcessingLogEntry.objects.all()
    assert entry.operation == Operation.CONSULTATION
    assert entry.subject_id == local.pk
    assert entry.justification.startswith("In scope")
    assert not entry.out_of_scope


def test_a_person_out_of_scope_needs_a_reason(officer, elsewhere):
    with pytest.raises(ReasonRequired):
        person_get(user=officer, person_id=elsewhere.pk)
    with pytest.raises(ReasonRequired):
        person_get(user=officer, person_id=elsewhere.pk, reason="because")  # says nothing
    assert not ProcessingLogEntry.objects.exists()


def test_with_a_reason_it_opens_and_the_reason_is_logged_as_out_of_scope(officer, elsewhere):
    assert person_get(user=officer, person_id=elsewhere.pk, reason=REASON) == elsewhere
    [entry] = ProcessingLogEntry.objects.all()
    assert entry.justification == REASON
    assert entry.out_of_scope


def test_a_restricted_person_is_refused_even_to_a_ppu_lead_not_on_the_list(force, area):
    restricted = factories.PersonFactory(force=force, area=area, is_restricted=True)
    ppu_lead = people_factories.force_wide_user(
        force, Role.PPU_LEAD, kind=TeamKind.PUBLIC_PROTECTION
    )
    with pytest.raises(AccessDenied):
        person_get(user=ppu_lead, person_id=restricted.pk, reason=REASON)
    people_factories.put_on_access_list(restricted, ppu_lead)
    assert person_get(user=ppu_lead, person_id=restricted.pk) == restricted


def test_an_analyst_cannot_open_a_person(force, area):
    analyst = people_factories.force_wide_user(force, Role.ANALYST, kind=TeamKind.PUBLIC_PROTECTION)
    local = factories.PersonFactory(force=force, area=area)
    with pytest.raises(AccessDenied):
        person_get(user=analyst, person_id=local.pk, reason=REASON)
