"""`field__any_of`: the same rows as `__in`, on both databases, for ids, text and foreign keys."""

import pytest

from tests.factories import PersonFactory
from thinkchild.access.ids import record_id
from thinkchild.people.models import Alias, Person

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_rows_in_finds():
    people = PersonFactory.create_batch(4)
    wanted = [people[0].pk, people[2].pk, record_id()]  # and an id that is nowhere
    found = set(Person.objects.filter(pk__any_of=wanted).values_list("pk", flat=True))
    assert found == {people[0].pk, people[2].pk}
    assert found == set(Person.objects.filter(pk__in=wanted).values_list("pk", flat=True))


def test_any_of_on_text_on_a_foreign_key_and_with_nothing_to_find():
    ada, bo = PersonFactory(family_name="Any-Of"), PersonFactory(family_name="Other")
    Alias.objects.create(person=ada, given_name="A", family_name="Alias")
    assert list(Person.objects.filter(family_name__any_of=["Any-Of", "Nobody"])) == [ada]
    assert list(
        Alias.objects.filter(person_id__any_of=[ada.pk, bo.pk]).values_list("person", flat=True)
    ) == [ada.pk]
    assert not Person.objects.filter(pk__any_of=[]).exists()
    assert list(Person.objects.filter(pk__any_of=[None, bo.pk])) == [bo]


def test_rows_among_gives_what_values_list_gives_with_the_same_types():
    from datetime import date

    from thinkchild.access.fastwrite import rows_among
    from thinkchild.people.models import Pregnancy

    ada = PersonFactory(family_name="Among", date_of_birth=date(2001, 2, 3))
    bo, cy = PersonFactory(family_name="Among"), PersonFactory(family_name="Elsewhere")
    Pregnancy.objects.create(person=ada, known_from=date(2024, 1, 5))
    columns = ["id", "date_of_birth", "appears_under_18"]
    wanted = [ada.pk, cy.pk, record_id()]
    found = rows_among(Person, columns, "id", wanted, family_name="Among")
    # Only Ada: Bo is not asked for, Cy's name differs, the third id is nowhere.
    assert found == [(ada.pk, date(2001, 2, 3), False)]
    assert found == list(
        Person.objects.filter(pk__in=wanted, family_name="Among").values_list(*columns)
    )
    # By a foreign key, its column named as the attribute; text values; nothing asked.
    assert rows_among(Pregnancy, ["person_id", "known_from"], "person", [ada.pk, bo.pk]) == [
        (ada.pk, date(2024, 1, 5))
    ]
    assert sorted(rows_among(Person, ["family_name"], "family_name", ["Among", "Nobody"])) == [
        ("Among",),
        ("Among",),
    ]
    assert rows_among(Person, columns, "id", []) == []
    # A timestamp comes back as values_list gives it (aware, the same instant).
    assert rows_among(Person, ["created_at"], "id", [ada.pk]) == [(ada.created_at,)]


def test_rows_among_refuses_what_a_plain_statement_would_read_differently():
    from thinkchild.access.fastwrite import rows_among
    from thinkchild.access.models import ProcessingLogEntry

    ada = PersonFactory()
    # JSON is converted by Django on reading; NULL is never equal to a value.
    with pytest.raises(ValueError, match="plain columns"):
        rows_among(ProcessingLogEntry, ["detail"], "subject_id", [ada.pk])
    with pytest.raises(ValueError, match="plain columns"):
        rows_among(Person, ["id"], "id", [ada.pk], date_of_birth=None)
