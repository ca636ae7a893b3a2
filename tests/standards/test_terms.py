"""School terms per local authority: their own dates and closures, or the default calendar."""

import datetime as dt

import pytest

from thinkchild.people.models import Organisation, OrganisationKind
from thinkchild.standards.calendars import DEFAULT_TERM_CALENDAR, is_school_day
from thinkchild.standards.models import SchoolClosure, SchoolTerm
from thinkchild.standards.terms import term_calendar_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def authority(force):
    return Organisation.objects.create(
        force=force, kind=OrganisationKind.LOCAL_AUTHORITY, name="Testshire County Council"
    )


def test_an_authority_without_terms_uses_the_default_calendar(authority):
    assert term_calendar_for(local_authority=authority) is DEFAULT_TERM_CALENDAR


def test_an_authoritys_own_terms_and_closures_decide_its_school_days(authority):
    SchoolTerm.objects.create(
        local_authority=authority, first_day=dt.date(2026, 9, 7), last_day=dt.date(2026, 10, 23)
    )
    SchoolClosure.objects.create(local_authority=authority, day=dt.date(2026, 9, 7), reason="INSET")
    calendar = term_calendar_for(local_authority=authority)
    assert not is_school_day(dt.date(2026, 9, 7), calendar)  # the INSET day
    assert is_school_day(dt.date(2026, 9, 8), calendar)
    # 3 September is a school day by the default calendar, but not here: this term starts later.
    assert is_school_day(dt.date(2026, 9, 3), DEFAULT_TERM_CALENDAR)
    assert not is_school_day(dt.date(2026, 9, 3), calendar)
