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


NDM = {
    "information": "Carer's account; previous episodes; her phone is off",
    "assessment": "Likely harm: seen with older males at the bus station",
    "powers": "Missing persons APP; Children Act 1989 s.46 if found at risk",
    "options": "Broadcast, address checks, CCTV at the bus station",
    "action": "Graded medium; review in four hours",
}


def missing_records() -> list[dict]:
    """One whole missing episode of P3: report, grading, enquiry, return, both interviews."""
    return [
        rec(
            "person",
            "P3",
            given_name="Isla",
            family_name="Brennan",
            date_of_birth="2011-09-14",
            gender="female",
        ),
        rec(
            "philomena_profile",
            "PH1",
            child="P3",
            held_by="Testshire Council",
            description="Slim, long brown hair, often wears a grey hoodie",
            places="Preston bus station",
            updated_at="2026-01-10T10:00:00+00:00",
        ),
        rec(
            "missing_episode",
            "M1",
            reference="MIS-000001",
            child="P3",
            area="A1",
            team="T1",
            reported_at="2026-04-02T20:30:00+00:00",
            reported_by="Mother",
            missing_from="home",
            missing_from_location="L1",
            last_seen_at="2026-04-02T16:00:00+00:00",
            known_risks=["sexual_exploitation"],
            closed_at="2026-04-06T12:00:00+00:00",
        ),
        rec(
            "risk_grading",
            "G1",
            episode="M1",
            level="medium",
            graded_at="2026-04-02T20:45:00+00:00",
            graded_by="U1",
            rationale=NDM,
            sources=[
                {
                    "information": "Not seen since school",
                    "source": "Mother",
                    "contact": "07700 900123",
                    "obtained_at": "2026-04-02T20:31:00+00:00",
                }
            ],
            next_review_at="2026-04-03T00:45:00+00:00",
        ),
        rec(
            "enquiry_action",
            "Q1",
            episode="M1",
            kind="cctv",
            done_at="2026-04-02T22:00:00+00:00",
            done_by="U1",
            details="Bus station CCTV reviewed",
            result="Seen boarding the 22:10 to Blackpool",
        ),
        rec(
            "found_report",
            "FR1",
            episode="M1",
            found_at="2026-04-03T09:00:00+00:00",
            found_where="A friend's flat, Blackpool",
            found_by="PC Hughes",
        ),
        rec(
            "prevention_interview",
            "PI1",
            found="FR1",
            done=True,
            held_at="2026-04-03T15:00:00+00:00",
            held_by="U1",
            method="face_to_face",
            child_account="Went to see a boy she met online",
        ),
        rec(
            "return_home_interview",
            "RHI1",
            found="FR1",
            authority_notified_at="2026-04-03T10:00:00+00:00",
            offered_at="2026-04-04T10:00:00+00:00",
            held_at="2026-04-05T16:00:00+00:00",
            findings_received_at="2026-04-06T11:00:00+00:00",
            findings="Pressured to meet an adult male; school aware",
        ),
    ]


def all_records() -> list[dict]:
    return org_records() + family_records() + missing_records()


def jsonl_write(path: Path, records, *, newline_at_end: bool = True) -> Path:
    lines = [r if isinstance(r, bytes) else orjson.dumps(r) for r in records]
    data = b"\n".join(lines) + (b"\n" if newline_at_end else b"")
    path.write_bytes(data)
    return path
