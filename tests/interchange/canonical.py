"""Canonical records for tests: a small synthetic force, and files written from them."""

from pathlib import Path

import orjson

SYSTEM = "test"


def rec(record_type: str, source_id: str, **fields) -> dict:
    return {
        "type": record_type,
        "version": 1,
        "source_system": SYSTEM,
        "source_id": source_id,
        **fields,
    }


def org_records() -> list[dict]:
    return [
        rec("force", "F1", code="testshire", name="Testshire Constabulary"),
        rec("area", "A1", force="F1", code="central", name="Central"),
        rec(
            "team",
            "T1",
            area="A1",
            code="central-response",
            name="Central response",
            kind="response",
        ),
        rec(
            "user",
            "U1",
            username="pc.hughes",
            given_name="Sam",
            family_name="Hughes",
            role="officer",
            rank="Police Constable",
            collar_number="4411",
            team="T1",
        ),
    ]


def family_records() -> list[dict]:
    return [
        rec("location", "L1", line1="12 Mill Lane", town="Preston", postcode="pr12ab", area="A1"),
        rec(
            "person",
            "P1",
            given_name="Amelia",
            family_name="Hughes",
            date_of_birth="2015-04-02",
            gender="female",
            aliases=[{"given_name": "Millie", "family_name": "Hughes"}],
        ),
        rec(
            "person",
            "P2",
            given_name="Joanne",
            family_name="Hughes",
            date_of_birth="1988-01-20",
            gender="female",
            pregnancies=[{"known_from": "2026-01-05", "due_date": "2026-09-01"}],
        ),
        rec("person_address", "PA1", person="P1", location="L1", valid_from="2020-01-01"),
        rec("relationship", "R1", person="P2", other="P1", kind="parent"),
        rec("organisation", "LA1", kind="local_authority", name="Testshire Council"),
        rec(
            "organisation",
            "S1",
            kind="school",
            name="Mill Lane Primary",
            urn=100001,
            local_authority="LA1",
            location="L1",
        ),
        rec("enrolment", "E1", person="P1", school="S1", start_date="2019-09-04"),
        rec(
            "incident",
            "I1",
            reference="TST-000001",
            occurred_at="2026-03-10T21:15:00+00:00",
            incident_type="domestic_abuse",
            area="A1",
            team="T1",
            allocated_to="U1",
            location="L1",
            summary="Neighbour heard shouting.",
            participants=[
                {"person": "P1", "role": "child_present"},
                {"person": "P2", "role": "victim"},
            ],
        ),
    ]


def all_records() -> list[dict]:
    return org_records() + family_records()


def jsonl_write(path: Path, records, *, newline_at_end: bool = True) -> Path:
    lines = [r if isinstance(r, bytes) else orjson.dumps(r) for r in records]
    data = b"\n".join(lines) + (b"\n" if newline_at_end else b"")
    path.write_bytes(data)
    return path
