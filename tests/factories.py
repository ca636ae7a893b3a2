"""factory_boy factories for the core records. Synthetic en_GB people only."""

import datetime as dt

import factory
from django.utils import timezone
from faker import Faker

from thinkchild.incidents.involvement import involvements_refresh
from thinkchild.incidents.models import Incident, IncidentType, Participant, ParticipantRole
from thinkchild.org.models import Area, Force, Role, Team, TeamKind, User
from thinkchild.people.models import Location, Person, Pregnancy
from thinkchild.people.names import name_key

fake = Faker("en_GB")
PASSWORD = "correct-horse-battery-staple"


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("code",)

    code = "testshire"
    name = "Testshire Constabulary"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    force = factory.SubFactory(ForceFactory)
    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    force = factory.LazyAttribute(lambda t: t.area.force if t.area else ForceFactory())
    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.RESPONSE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    role = Role.OFFICER
    team = factory.SubFactory(TeamFactory)
    force = factory.LazyAttribute(lambda u: u.team.force if u.team else ForceFactory())
    collar_number = factory.Sequence(lambda n: f"{1000 + n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    force = factory.SubFactory(ForceFactory)
    line1 = factory.LazyFunction(fake.street_address)
    town = factory.LazyFunction(fake.city)
    postcode = "PR1 2AB"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    force = factory.SubFactory(ForceFactory)
    given_name = factory.LazyFunction(fake.first_name)
    family_name = factory.LazyFunction(fake.last_name)
    given_name_key = factory.LazyAttribute(lambda p: name_key(p.given_name))
    family_name_key = factory.LazyAttribute(lambda p: name_key(p.family_name))
    date_of_birth = dt.date(1985, 5, 17)


class PregnancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pregnancy

    person = factory.SubFactory(PersonFactory)
    known_from = dt.date(2026, 1, 1)
    due_date = dt.date(2026, 9, 1)


def incident_type(code: str = "concern_for_child") -> IncidentType:
    """The configured type; recreated when a transactional test's flush removed the seeded list."""
    name = code.replace("_", " ").capitalize()
    return IncidentType.objects.get_or_create(code=code, defaults={"name": name})[0]


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    force = factory.SubFactory(ForceFactory)
    area = factory.SubFactory(AreaFactory, force=factory.SelfAttribute("..force"))
    reference = factory.Sequence(lambda n: f"INC-{n:07d}")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    type = factory.LazyFunction(incident_type)
    summary = "Caller concerned about shouting at the address."


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    incident = factory.SubFactory(IncidentFactory)
    person = factory.SubFactory(PersonFactory)
    role = ParticipantRole.VICTIM

    @factory.post_generation
    def involvements(participant, create, extracted, **kwargs):
        # What incidents.services keeps with every participant (the access layer reads it).
        if create:
            involvements_refresh(person_ids=[participant.person_id])
