"""The child marker of an imported incident is right from the first write: in the incident row
and in its "+" history row, for each reason an incident can involve a child."""

import pytest

from tests.interchange.canonical import jsonl_write, org_records, rec
from thinkchild.incidents.models import Incident
from thinkchild.interchange.services import import_files

pytestmark = pytest.mark.django_db


def person(source_id: str, **fields) -> dict:
    return rec("person", source_id, given_name="Sam", family_name="Okafor", **fields)


def incident(source_id: str, *person_ids: str, occurred_at="2026-03-10T21:15:00+00:00") -> dict:
    return rec(
        "incident",
        source_id,
        reference=f"TST-{source_id}",
        occurred_at=occurred_at,
        incident_type="domestic_abuse",
        area="A1",
        participants=[{"person": p, "role": "victim"} for p in person_ids],
    )


def imported(tmp_path, *records) -> Incident:
    # People and incident in one file, so the people are new in the same batch as the incident.
    import_files(
        paths=[jsonl_write(tmp_path / "in.jsonl", [*org_records(), *records])], progress=False
    )
    return Incident.objects.get(reference=f"TST-{records[-1]['source_id']}")


def first_history(incident: Incident):
    return incident.history.order_by("history_date", "history_id").first()


def test_a_child_participant_marks_the_incident_and_its_first_history_row(tmp_path):
    found = imported(
        tmp_path,
        person("P1", date_of_birth="2015-04-02"),
        person("P2", date_of_birth="1988-01-20"),
        incident("I1", "P1", "P2"),
    )

    created = first_history(found)
    assert created.history_type == "+"
    assert (found.has_child, found.child_marker_reasons) == (True, ["under_18"])
    assert (created.has_child, created.child_marker_reasons) == (True, ["under_18"])


def test_someone_who_appears_under_18_marks_the_incident(tmp_path):
    found = imported(tmp_path, person("P1", appears_under_18=True), incident("I1", "P1"))

    assert (found.has_child, found.child_marker_reasons) == (True, ["appears_under_18"])
    created = first_history(found)
    assert (created.has_child, created.child_marker_reasons) == (True, ["appears_under_18"])


def test_an_estimated_age_under_18_marks_the_incident(tmp_path):
    found = imported(
        tmp_path,
        person("P1", estimated_age=15, estimated_age_on="2025-06-01"),
        incident("I1", "P1"),
    )

    assert (found.has_child, found.child_marker_reasons) == (True, ["under_18"])
    assert first_history(found).child_marker_reasons == ["under_18"]


def test_a_pregnant_participant_marks_the_incident_as_involving_an_unborn_child(tmp_path):
    found = imported(
        tmp_path,
        person(
            "P1",
            date_of_birth="1990-05-05",
            pregnancies=[{"known_from": "2026-01-05", "due_date": "2026-09-01"}],
        ),
        incident("I1", "P1"),
    )

    assert (found.has_child, found.child_marker_reasons) == (True, ["unborn_child"])
    created = first_history(found)
    assert (created.has_child, created.child_marker_reasons) == (True, ["unborn_child"])


def test_a_pregnancy_that_ended_before_the_incident_does_not_mark_it(tmp_path):
    found = imported(
        tmp_path,
        person(
            "P1",
            date_of_birth="1990-05-05",
            pregnancies=[{"known_from": "2025-01-05", "due_date": "2025-09-01"}],
        ),
        incident("I1", "P1"),
    )

    assert (found.has_child, found.child_marker_reasons) == (False, [])
    created = first_history(found)
    assert (created.has_child, created.child_marker_reasons) == (False, [])


def test_the_day_is_counted_in_london(tmp_path):
    # 23:30 UTC on 1 July is 00:30 on 2 July in London: her 18th birthday, so no longer a child.
    found = imported(
        tmp_path,
        person("P1", date_of_birth="2008-07-02"),
        incident("I1", "P1", occurred_at="2026-07-01T23:30:00+00:00"),
    )

    assert (found.has_child, found.child_marker_reasons) == (False, [])


def test_all_reasons_come_in_a_stable_order(tmp_path):
    found = imported(
        tmp_path,
        person("P1", appears_under_18=True),
        person(
            "P2",
            date_of_birth="2010-02-02",
            pregnancies=[{"known_from": "2026-01-05", "due_date": "2026-09-01"}],
        ),
        incident("I1", "P2", "P1"),
    )

    assert found.child_marker_reasons == ["under_18", "appears_under_18", "unborn_child"]
    assert first_history(found).child_marker_reasons == found.child_marker_reasons


def test_a_reimported_incident_without_its_child_loses_the_marker(tmp_path):
    records = [person("P1", date_of_birth="2015-04-02"), person("P2", date_of_birth="1988-01-20")]
    imported(tmp_path, *records, incident("I1", "P1", "P2"))

    found = imported(tmp_path, *records, incident("I1", "P2"))

    assert (found.has_child, found.child_marker_reasons) == (False, [])
    latest = found.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_type, latest.has_child) == ("~", False)


def test_a_later_correction_of_a_date_of_birth_still_moves_the_marker(tmp_path):
    imported(tmp_path, person("P1", date_of_birth="1995-04-02"), incident("I1", "P1"))

    found = imported(tmp_path, person("P1", date_of_birth="2015-04-02"), incident("I1", "P1"))

    assert (found.has_child, found.child_marker_reasons) == (True, ["under_18"])
