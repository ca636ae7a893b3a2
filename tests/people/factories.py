"""Factories for people's records beyond the shared ones (tests/factories.py)."""

import datetime as dt

import factory

from tests import factories
from thinkchild.access.models import AccessListEntry
from thinkchild.org.models import Role, TeamKind
from thinkchild.people.models import (
    Alias,
    Enrolment,
    Organisation,
    OrganisationKind,
    PersonAddress,
    Relationship,
    RelationshipKind,
)
from thinkchild.people.names import name_key


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    person = factory.SubFactory(factories.PersonFactory)
    given_name = factory.LazyFunction(factories.fake.first_name)
    family_name = factory.LazyFunction(factories.fake.last_name)
    given_name_key = factory.LazyAttribute(lambda a: name_key(a.given_name))
    family_name_key = factory.LazyAttribute(lambda a: name_key(a.family_name))


class PersonAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonAddress

    person = factory.SubFactory(factories.PersonFactory)
    location = factory.SubFactory(factories.LocationFactory)
    valid_from = dt.date(2020, 1, 1)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(factories.PersonFactory)
    other = factory.SubFactory(factories.PersonFactory)
    kind = RelationshipKind.PARENT


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    force = factory.SubFactory(factories.ForceFactory)
    kind = OrganisationKind.SCHOOL
    name = factory.Sequence(lambda n: f"St Mary's Primary School {n}")
    urn = factory.Sequence(lambda n: 100000 + n)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    person = factory.SubFactory(factories.PersonFactory)
    school = factory.SubFactory(SchoolFactory)
    start_date = dt.date(2021, 9, 1)


def put_on_access_list(person, user) -> AccessListEntry:
    return AccessListEntry.objects.create(subject_type="person", subject_id=person.pk, user=user)


def local_user(area, role: str = Role.OFFICER, **kwargs):
    """A user of a response team in `area`."""
    team = factories.TeamFactory(area=area, force=area.force)
    return factories.UserFactory(role=role, team=team, force=area.force, **kwargs)


def force_wide_user(force, role: str, kind: str = TeamKind.CONTROL_ROOM, **kwargs):
    """A user of a force-wide team (no area): control room, MASH, PPU, administrators."""
    team = factories.TeamFactory(area=None, force=force, kind=kind)
    return factories.UserFactory(role=role, team=team, force=force, **kwargs)
