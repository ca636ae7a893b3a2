"""The child marker of imported incidents at the edges of its rules, case by case.

On PostgreSQL new incidents are written set-based and the marker is worked out in SQL
(incidents/staged.py); everywhere else, and for the services, in Python (incidents/marker.py). Each
case is checked against the answer the rules give, and against incidents.marker run on the same
people, so the two cannot drift apart on either database."""

import pytest

from tests.interchange.canonical import jsonl_write, org_records, rec
from thinkchild.incidents.marker import child_marker_reasons
from thinkchild.incidents.models import Incident
from thinkchild.incidents.services import incident_day
from thinkchild.interchange.services import import_files

pytestmark = pytest.mark.django_db

ADULT = {"date_of_birth": "1990-05-05"}
PREGNANT = {**ADULT, "pregnancies": [{"known_from": "2026-01-05", "due_date": "2026-09-01"}]}
ENDED = {
    **ADULT,
    "pregnancies": [
        {"known_from": "2025-01-05", "due_date": "2025-09-01", "ended_on": "2025-03-01"}
    ],
}
OPEN = {**ADULT, "pregnancies": [{"known_from": "2024-02-01"}]}

# (case, the people's fields, when, the reasons the rules give)
CASES = [
    ("eighteenth birthday", [{"date_of_birth": "2008-03-10"}], "2026-03-10T12:00:00+00:00", []),
    ("day before it", [{"date_of_birth": "2008-03-11"}], "2026-03-10T12:00:00+00:00", ["under_18"]),
    ("born that day", [{"date_of_birth": "2026-03-10"}], "2026-03-10T12:00:00+00:00", ["under_18"]),
    ("29 February, a year short", [{"date_of_birth": "2008-02-29"}], "2026-02-28T12:00:00+00:00",
     ["under_18"]),
    ("29 February, 18 on 1 March", [{"date_of_birth": "2008-02-29"}], "2026-03-01T12:00:00+00:00",
     []),
    # 23:30 UTC in summer is 00:30 the next day in London, where ages are counted: 18 that day.
    ("London's day, not UTC's", [{"date_of_birth": "2007-07-10"}], "2025-07-09T23:30:00+00:00", []),
    ("London's day, with an offset", [{"date_of_birth": "2007-07-10"}],
     "2025-07-09T22:59:00-01:00", []),
    ("estimated 17, a day short of a year on",
     [{"estimated_age": 17, "estimated_age_on": "2025-06-01"}], "2026-05-31T12:00:00+00:00",
     ["under_18"]),
    ("estimated 17, a year on", [{"estimated_age": 17, "estimated_age_on": "2025-06-01"}],
     "2026-06-01T12:00:00+00:00", []),
    ("estimated 17.0, a whole number written with a decimal point",
     [{"estimated_age": 17.0, "estimated_age_on": "2025-06-01"}], "2026-05-31T12:00:00+00:00",
     ["under_18"]),
    ("no age known", [{}], "2026-03-10T12:00:00+00:00", []),
    ("an adult who appears under 18", [{**ADULT, "appears_under_18": True}],
     "2026-03-10T12:00:00+00:00", ["appears_under_18"]),
    ("appears under 18 said no", [{**ADULT, "appears_under_18": False}],
     "2026-03-10T12:00:00+00:00", []),
    ("pregnant on the due date", [PREGNANT], "2026-09-01T12:00:00+00:00", ["unborn_child"]),
    ("the day after the due date", [PREGNANT], "2026-09-02T12:00:00+00:00", []),
    ("the day before it was known", [PREGNANT], "2026-01-04T12:00:00+00:00", []),
    ("the day it was known", [PREGNANT], "2026-01-05T12:00:00+00:00", ["unborn_child"]),
    ("ended before the due date, on the day", [ENDED], "2025-03-01T12:00:00+00:00",
     ["unborn_child"]),
    ("ended before the due date, after", [ENDED], "2025-03-02T12:00:00+00:00", []),
    ("no due date and not ended", [OPEN], "2026-03-10T12:00:00+00:00", ["unborn_child"]),
    ("all three, in the marker's order",
     [{**ADULT, "appears_under_18": True}, PREGNANT, {"date_of_birth": "2015-01-01"}],
     "2026-03-10T12:00:00+00:00", ["under_18", "appears_under_18", "unborn_child"]),
    ("a child and an adult", [ADULT, {"date_of_birth": "2015-01-01"}],
     "2026-03-10T12:00:00+00:00", ["under_18"]),
    ("nobody", [], "2026-03-10T12:00:00+00:00", []),
]  # fmt: skip


def _records() -> list[dict]:
    records = list(org_records())
    for n, (_, people, occurred_at, _) in enumerate(CASES):
        ids = []
        for m, fields in enumerate(people):
            ids.append(f"P{n}-{m}")
            records.append(rec("person", ids[-1], given_name="Sam", family_name="Okafor", **fields))
        records.append(
            rec(
                "incident",
                f"I{n}",
                reference=f"TST-{n}",
                occurred_at=occurred_at,
                incident_type="domestic_abuse",
                area="A1",
                participants=[{"person": p, "role": "victim"} for p in ids],
            )
        )
    return records


def test_the_marker_at_the_edges_of_its_rules(tmp_path):
    summary = import_files(paths=[jsonl_write(tmp_path / "in.jsonl", _records())], progress=False)
    assert summary.rejected == 0

    found = {
        i.reference: i
        for i in Incident.objects.prefetch_related("participants__person__pregnancies")
    }
    for n, (case, _, _, expected) in enumerate(CASES):
        incident = found[f"TST-{n}"]
        people = [p.person for p in incident.participants.all()]
        by_python = child_marker_reasons(people, incident_day(incident.occurred_at))
        assert (case, incident.child_marker_reasons) == (case, expected)
        assert (case, incident.has_child) == (case, bool(expected))
        assert (case, by_python) == (case, expected)
        first = incident.history.order_by("history_date", "history_id").first()
        assert (case, first.child_marker_reasons, first.has_child) == (
            case,
            expected,
            bool(expected),
        )
