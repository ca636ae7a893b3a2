"""The synthetic force generator: deterministic, complete, synthetic and valid."""

from collections import Counter
from datetime import date

import pytest
from faker.providers.person.en_GB import Provider as EnGbNames

from tests.demo.conftest import AS_OF
from thinkchild.demo.generate import demo_generate
from thinkchild.demo.scales import SCALES
from thinkchild.org.models import Role
from thinkchild.people.postcodes import is_postcode, postcode_normalise


def _all(records):
    return [record for file in records.values() for record in file]


def test_same_seed_writes_identical_bytes(tiny_force, tmp_path):
    again = demo_generate(scale=SCALES["tiny"], seed=7, out=tmp_path / "again", as_of=AS_OF)
    for first, second in zip(tiny_force.paths, again.paths, strict=True):
        assert first.name == second.name
        assert first.read_bytes() == second.read_bytes(), first.name


def test_another_seed_writes_another_force(tiny_force, tmp_path):
    other = demo_generate(scale=SCALES["tiny"], seed=8, out=tmp_path / "other", as_of=AS_OF)
    persons = [p for p in other.paths if p.stem == "persons"][0]
    assert (
        persons.read_bytes() != [p for p in tiny_force.paths if p.stem == "persons"][0].read_bytes()
    )


def test_files_come_in_dependency_order(tiny_force):
    assert [p.name for p in tiny_force.paths] == [
        "force.jsonl",
        "org.jsonl",
        "locations.jsonl",
        "organisations.jsonl",
        "persons.jsonl",
        "person_addresses.jsonl",
        "relationships.jsonl",
        "enrolments.jsonl",
        "incidents.jsonl",
        "missing.jsonl",
    ]


def test_every_record_type_and_variant_is_present(records):
    types = Counter(r["type"] for r in _all(records))
    assert set(types) == {
        "force", "area", "team", "user", "location", "organisation", "person",
        "person_address", "relationship", "enrolment", "incident", "missing_episode",
        "risk_grading", "enquiry_action", "found_report", "prevention_interview",
        "return_home_interview", "philomena_profile",
    }  # fmt: skip
    assert types["area"] == 3
    teams = {r["kind"] for r in records["org"] if r["type"] == "team"}
    assert teams == {
        "response", "neighbourhood", "control_room", "mash", "child_protection", "cse",
        "online", "safeguarding_unit", "custody", "public_protection",
    }  # fmt: skip
    assert {r["kind"] for r in records["organisations"]} == {"school", "local_authority"}
    assert {r["kind"] for r in records["relationships"]} == {
        "parent", "carer", "partner", "sibling", "lives_with",
    }  # fmt: skip
    roles = {p["role"] for r in records["incidents"] for p in r["participants"]}
    assert {"victim", "suspect", "witness", "caller", "child_present",
            "child_normally_resident"} <= roles  # fmt: skip
    assert any("aliases" in p for p in records["persons"])
    assert any("valid_to" in a for a in records["person_addresses"]), "somebody moves"


def test_every_record_carries_the_envelope_and_unique_ids(records):
    seen = set()
    for record in _all(records):
        assert record["version"] == 1
        assert record["source_system"] == "demo"
        key = (record["type"], record["source_id"])
        assert key not in seen
        seen.add(key)


def test_references_point_to_records_written_earlier(records):
    """Files load in order without holding anything back: each reference is already known."""
    refs = {
        "area": [("force", "force")],
        "team": [("force", "force"), ("area", "area")],
        "user": [("team", "team")],
        "location": [("area", "area")],
        "organisation": [("local_authority", "organisation"), ("location", "location")],
        "person_address": [("person", "person"), ("location", "location")],
        "relationship": [("person", "person"), ("other", "person")],
        "enrolment": [("person", "person"), ("school", "organisation")],
        "incident": [
            ("area", "area"),
            ("team", "team"),
            ("allocated_to", "user"),
            ("location", "location"),
        ],  # fmt: skip
    }
    known = set()
    for record in _all(records):
        for field, target in refs.get(record["type"], ()):
            if field in record:
                assert (target, record[field]) in known, (record["source_id"], field)
        for participant in record.get("participants", ()):
            assert ("person", participant["person"]) in known
        known.add((record["type"], record["source_id"]))


def test_every_role_has_a_demo_login_in_the_first_area(records, tiny_force):
    users = {r["username"]: r for r in records["org"] if r["type"] == "user"}
    teams = {r["source_id"]: r for r in records["org"] if r["type"] == "team"}
    logins = {login.username: login for login in tiny_force.logins}
    human_roles = {role.value for role in Role} - {Role.SYSTEM_ACCOUNT}
    assert {login.role for login in tiny_force.logins} == human_roles
    for username in ("officer", "control", "supervisor", "specialist", "mash", "custody", "di",
                     "auditor", "analyst", "ppulead", "sysadmin"):  # fmt: skip
        user = users[username]
        assert user["role"] == logins[username].role
        assert teams[user["team"]].get("area") in (None, "northern")
        assert user["rank"] and user["collar_number"]
    assert teams[users["officer.south"]["team"]]["area"] == "southern"
    collars = [u["collar_number"] for u in users.values()]
    assert len(collars) == len(set(collars))


def _age(born: str, day: date) -> int:
    b = date.fromisoformat(born)
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def test_children_carry_each_child_marker_reason(records):
    persons = records["persons"]
    assert any("date_of_birth" in p and _age(p["date_of_birth"], AS_OF) < 18 for p in persons), (
        "a child by date of birth"
    )
    assert any(p.get("estimated_age", 99) < 18 for p in persons), "a child by estimated age only"
    assert any(
        p.get("appears_under_18") and _age(p["date_of_birth"], AS_OF) >= 18 for p in persons
    ), "an adult who appears under 18"
    assert any(
        pregnancy["known_from"] <= AS_OF.isoformat() <= pregnancy["due_date"]
        and "ended_on" not in pregnancy
        for p in persons
        for pregnancy in p.get("pregnancies", ())
    ), "a current pregnancy"


def test_names_come_from_faker_en_gb(records):
    given = set(EnGbNames.first_names_female) | set(EnGbNames.first_names_male)
    family = set(EnGbNames.last_names)
    people = records["persons"] + [u for u in records["org"] if u["type"] == "user"]
    for person in people:
        assert person["given_name"] in given
        assert person["family_name"] in family
    assert len({p["family_name"] for p in records["persons"]}) > 30


def test_every_postcode_is_valid_and_normalised(records):
    postcodes = [r["postcode"] for r in records["locations"]]
    assert postcodes
    for postcode in postcodes:
        assert is_postcode(postcode), postcode
        assert postcode_normalise(postcode) == postcode


def test_nothing_happens_before_birth_or_in_the_future(records):
    latest_birth = {}
    for p in records["persons"]:
        if "date_of_birth" in p:
            latest_birth[p["source_id"]] = p["date_of_birth"]
        else:  # someone aged N on a day was born at the latest N years before it
            on = date.fromisoformat(p["estimated_age_on"])
            latest = on.toordinal() - int(p["estimated_age"] * 365.2425)
            latest_birth[p["source_id"]] = date.fromordinal(latest).isoformat()
    checked = 0
    for incident in records["incidents"]:
        day = incident["occurred_at"][:10]
        assert day < AS_OF.isoformat()
        for participant in incident["participants"]:
            assert latest_birth[participant["person"]] <= day, incident["source_id"]
            checked += 1
    assert checked > 100


def test_most_incidents_are_allocated_in_their_own_area(records):
    incidents = records["incidents"]
    own_area = sum(i["team"].startswith(i["area"]) for i in incidents)
    assert own_area / len(incidents) > 0.9
    assert sum("allocated_to" in i for i in incidents) / len(incidents) > 0.7


@pytest.mark.parametrize("scale", ["demo"])
def test_demo_scale_has_a_year_of_incidents_with_repeat_addresses(scale, tmp_path):
    import orjson

    force = demo_generate(scale=SCALES[scale], seed=1, out=tmp_path, as_of=AS_OF)
    assert 3_000 <= force.counts["incidents"] <= 5_000
    incidents = [orjson.loads(line) for line in (tmp_path / "incidents.jsonl").open("rb")]
    days = sorted(i["occurred_at"][:10] for i in incidents)
    assert days[0] >= "2025-03-01" and days[-1] < "2026-03-01"
    per_location = Counter(i["location"] for i in incidents)
    repeat = sum(1 for n in per_location.values() if n >= 5)
    assert repeat / force.counts["locations"] > 0.03
    missing_teens = [i for i in incidents if i["incident_type"] == "missing_person"]
    assert len(missing_teens) > 50


def test_force_scale_is_five_years_of_a_million_incidents():
    force = SCALES["force"]
    assert force.years == 5
    assert force.incidents >= 1_000_000
    assert force.people >= 400_000
