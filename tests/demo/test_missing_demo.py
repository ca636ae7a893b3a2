"""The demo force's missing children: valid records that keep the rules the services keep, and
the mix issue #4 asks the demo to show. The files are read, not imported."""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft202012Validator

from tests.demo.conftest import AS_OF
from thinkchild.demo.generate import demo_generate
from thinkchild.demo.scales import SCALES
from thinkchild.interchange import validation
from thinkchild.interchange.registry import record_type_get, schema_load, schema_references
from thinkchild.people.age import age_on
from thinkchild.standards.calendars import due_after_working_days
from thinkchild.standards.rationale import NDM_STAGES

LONDON = ZoneInfo("Europe/London")
END = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=ZoneInfo("UTC"))
MISSING_TYPES = {
    "missing_episode",
    "risk_grading",
    "enquiry_action",
    "found_report",
    "prevention_interview",
    "return_home_interview",
    "philomena_profile",
}
LEGACY = {"absent", "no_apparent_risk"}
REVIEW_HOURS = {"high": 2, "medium": 6, "low": 12, "very_low": 24}
FIRST_REVIEW_HOURS = {"high": 1, "medium": 4, "low": 12}
SUPERVISORS = {"supervisor", "detective_inspector", "ppu_lead"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def missing(records):
    """The missing file, grouped: episodes by source id and each episode's records."""
    by_type = defaultdict(list)
    for record in records["missing"]:
        by_type[record["type"]].append(record)
    episodes = {e["source_id"]: e for e in by_type["missing_episode"]}
    found = {f["episode"]: f for f in by_type["found_report"]}
    episode_of_found = {f["source_id"]: f["episode"] for f in by_type["found_report"]}
    gradings, enquiries = defaultdict(list), defaultdict(list)
    for grading in by_type["risk_grading"]:
        gradings[grading["episode"]].append(grading)
    for enquiry in by_type["enquiry_action"]:
        enquiries[enquiry["episode"]].append(enquiry)
    interviews = {episode_of_found[p["found"]]: p for p in by_type["prevention_interview"]}
    rhis = {episode_of_found[r["found"]]: r for r in by_type["return_home_interview"]}
    return SimpleNamespace(
        by_type=by_type,
        episodes=episodes,
        found=found,
        gradings=gradings,
        enquiries=enquiries,
        interviews=interviews,
        rhis=rhis,
        profiles={p["child"]: p for p in by_type["philomena_profile"]},
    )


@pytest.fixture(scope="module")
def roles(records):
    return {u["source_id"]: u["role"] for u in records["org"] if u["type"] == "user"}


def test_the_missing_file_loads_after_the_incidents_and_holds_every_type(tiny_force, missing):
    assert [p.stem for p in tiny_force.paths][-2:] == ["incidents", "missing"]
    assert set(missing.by_type) == MISSING_TYPES
    assert len(missing.episodes) == SCALES["tiny"].missing_episodes_per_year


@pytest.mark.django_db
def test_every_missing_record_is_valid(records):
    for record in records["missing"]:
        record_type = record_type_get(record["type"])
        if record_type is not None:
            record_type, reasons = validation.envelope_check(dict(record))
            assert reasons == [], record
            assert validation.record_check(record_type, record) == [], record
        else:
            # Until missing/interchange.py registers the type: its schema, with the same formats.
            validator = Draft202012Validator(
                schema_load(record["type"], 1), format_checker=validation._formats
            )
            assert [e.message for e in validator.iter_errors(record)] == [], record


def test_references_point_to_records_written_earlier(records):
    known, seen = set(), set()
    for record in (r for file in records.values() for r in file):
        if record["type"] in MISSING_TYPES:
            for reference in schema_references(record["type"], 1):
                field, _, sub = reference.path.partition("[].")
                values = record.get(field)
                values = [v.get(sub) for v in values or ()] if sub else [values]
                for value in values:
                    if value is not None:
                        assert (reference.record_type, value) in known, (record, reference)
        key = (record["type"], record["source_id"])
        assert key not in seen
        seen.add(key)
        known.add(key)


def test_nothing_lies_in_the_future_and_every_time_has_an_offset(records):
    def times(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from times(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from times(v, key)
        elif key.endswith("_at") and value is not None:
            yield value

    checked = 0
    for record in records["missing"]:
        for text in times(record):
            moment = at(text)
            assert moment.tzinfo is not None, text
            assert moment < END, (record["source_id"], text)
            checked += 1
    assert checked > 500


def test_each_child_is_10_to_17_on_the_day_of_the_report(records, missing):
    persons = {}
    for p in records["persons"]:
        persons[p["source_id"]] = SimpleNamespace(
            date_of_birth=date.fromisoformat(p["date_of_birth"]) if "date_of_birth" in p else None,
            estimated_age=p.get("estimated_age"),
            estimated_age_on=(
                date.fromisoformat(p["estimated_age_on"]) if "estimated_age_on" in p else None
            ),
        )
    for episode in missing.episodes.values():
        day = at(episode["reported_at"]).astimezone(LONDON).date()
        assert 10 <= age_on(persons[episode["child"]], day) < 18, episode


def test_times_follow_each_other_as_the_services_require(missing):
    for sid, episode in missing.episodes.items():
        reported = at(episode["reported_at"])
        assert at(episode["last_seen_at"]) <= reported
        found = missing.found.get(sid)
        found_at = at(found["found_at"]) if found else None
        if found_at:
            assert found_at >= reported, sid
        for grading in missing.gradings[sid]:
            assert at(grading["graded_at"]) >= reported
            if found_at:
                assert at(grading["graded_at"]) <= found_at
        for enquiry in missing.enquiries[sid]:
            assert at(enquiry["done_at"]) >= reported - timedelta(hours=24)
        interview = missing.interviews.get(sid)
        if interview and interview["done"]:
            assert at(interview["held_at"]) >= found_at
        rhi = missing.rhis.get(sid)
        if rhi:
            for name in ("authority_notified_at", "offered_at", "held_at", "findings_received_at"):
                if rhi.get(name):
                    assert at(rhi[name]) >= found_at, (sid, name)
            if rhi.get("held_at") and rhi.get("offered_at"):
                assert at(rhi["held_at"]) >= at(rhi["offered_at"])
            assert bool(rhi.get("findings_received_at")) == bool(rhi.get("findings"))
            assert not (rhi.get("declined") and rhi.get("held_at"))
            if rhi.get("protective_plan_updated_at"):
                assert rhi.get("police_actions")
        if episode.get("closed_at"):
            # Closed only once found, the interview recorded or explained and the authority told.
            assert found and interview and rhi and rhi.get("authority_notified_at"), sid
            closed = at(episode["closed_at"])
            assert closed >= at(rhi["authority_notified_at"])
            if interview["done"]:
                assert closed >= at(interview["held_at"])


def test_gradings_keep_the_rules(missing, roles):
    for sid, episode in missing.episodes.items():
        gradings = missing.gradings[sid]
        assert gradings, sid
        reported = at(episode["reported_at"])
        for grading in gradings:
            graded_at = at(grading["graded_at"])
            if grading["level"] in LEGACY:
                assert reported < END - timedelta(days=290), "legacy only in the oldest history"
                continue
            assert all(grading["rationale"].get(stage, "").strip() for stage in NDM_STAGES)
            assert 1 <= len(grading["sources"]) <= 3
            assert all(at(s["obtained_at"]) <= graded_at for s in grading["sources"])
            review = at(grading["next_review_at"])
            hours = REVIEW_HOURS[grading["level"]]
            assert graded_at < review <= graded_at + timedelta(hours=hours), grading
            if grading["level"] in ("low", "very_low"):
                assert roles[grading["override_by"]] in SUPERVISORS
                assert len(grading["override_rationale"].strip()) >= 10
            else:
                assert "override_by" not in grading
        for enquiry in missing.enquiries[sid]:
            if enquiry["kind"] == "direction":
                assert roles[enquiry["done_by"]] in SUPERVISORS


def test_interviews_explain_themselves(missing):
    for interview in missing.interviews.values():
        if interview["done"]:
            assert interview["held_at"] and interview["child_account"]
            assert interview["method"] in ("face_to_face", "telephone")
            if interview["method"] == "telephone":
                assert len(interview["method_reason"]) >= 10
        else:
            assert len(interview["not_done_reason"]) >= 10
            assert "held_at" not in interview


def test_children_in_care_are_looked_after_by_a_local_authority(records, missing):
    authorities = {
        o["source_id"] for o in records["organisations"] if o["kind"] == "local_authority"
    }
    in_care = [
        e
        for e in missing.episodes.values()
        if e["missing_from"] in ("foster_care", "residential_care")
    ]
    assert {e["missing_from"] for e in in_care} == {"foster_care", "residential_care"}
    for episode in in_care:
        assert episode["looked_after"] is True
        assert episode["responsible_authority"] in authorities
        assert episode["missing_from_location"]
    children = {e["child"] for e in in_care}
    with_profile = children & set(missing.profiles)
    assert len(with_profile) >= max(1, len(children) // 2), "most have a Philomena profile"
    assert set(missing.profiles) <= children
    for child, profile in missing.profiles.items():
        first = min(at(e["reported_at"]) for e in in_care if e["child"] == child)
        assert at(profile["updated_at"]) < first, "held in advance"


def test_the_demo_shows_what_issue_4_asks_for(missing, roles):
    episodes = missing.episodes
    # Repeat children: three or more episodes within 90 days.
    by_child = defaultdict(list)
    for episode in episodes.values():
        by_child[episode["child"]].append(at(episode["reported_at"]))
    repeat = [
        child
        for child, times in by_child.items()
        if any(sum(t - timedelta(days=90) <= u <= t for u in times) >= 3 for t in times)
    ]
    assert len(repeat) >= 2
    assert any(episodes[e]["looked_after"] for e in episodes if episodes[e]["child"] in repeat)
    # Cross-border: the home force and its reference.
    cross = [e for e in episodes.values() if e.get("home_force")]
    assert cross and all(e["home_force_reference"] for e in cross)
    # Legacy categories, only in the oldest part of the history.
    legacy = [g for gs in missing.gradings.values() for g in gs if g["level"] in LEGACY]
    assert legacy
    # Mostly medium or high; a few low with a supervisor's override.
    first = Counter(gs[0]["level"] for gs in missing.gradings.values())
    assert (first["medium"] + first["high"]) / len(episodes) > 0.75
    assert first["low"] >= 1
    # A supervisor's grading follows the officer's first in most episodes, some of them late.
    supervised = late = graded = 0
    for gradings in missing.gradings.values():
        if gradings[0]["level"] in LEGACY:
            continue
        graded += 1
        assert roles[gradings[0]["graded_by"]] not in SUPERVISORS
        review = next((g for g in gradings if roles[g["graded_by"]] in SUPERVISORS), None)
        if review:
            supervised += 1
            hours = FIRST_REVIEW_HOURS[gradings[0]["level"]]
            late += at(review["graded_at"]) > at(gradings[0]["graded_at"]) + timedelta(hours=hours)
    assert supervised / graded > 0.5
    assert late >= 1
    # Enquiries: two to six an episode.
    assert all(2 <= len(missing.enquiries[e]) <= 6 for e in episodes)
    # Found: all but a handful, who were reported in the last two days.
    still_missing = [e for e in episodes if e not in missing.found]
    assert 1 <= len(still_missing) <= max(5, len(episodes) // 50)
    for sid in still_missing:
        assert at(episodes[sid]["reported_at"]) >= END - timedelta(days=2)
    # Prevention interviews: some late, some not done, a few by telephone.
    interviews = missing.interviews
    late_interviews = [
        e
        for e, i in interviews.items()
        if i["done"] and at(i["held_at"]) > at(missing.found[e]["found_at"]) + timedelta(hours=72)
    ]
    assert late_interviews
    assert any(not i["done"] for i in interviews.values())
    assert any(i.get("method") == "telephone" for i in interviews.values())
    # Return home interviews: the authority told in most; some findings after 5 working days.
    notified = [r for r in missing.rhis.values() if r.get("authority_notified_at")]
    assert len(notified) / len(missing.found) > 0.8
    late_findings = [
        e
        for e, r in missing.rhis.items()
        if r.get("findings_received_at")
        and at(r["findings_received_at"])
        > due_after_working_days(start=at(missing.found[e]["found_at"]), days=5)
    ]
    assert late_findings
    # Most older episodes are closed.
    older = [e for e in episodes if at(episodes[e]["reported_at"]) < END - timedelta(days=30)]
    closed = [e for e in older if episodes[e].get("closed_at")]
    assert len(closed) / len(older) > 0.6


def test_the_missing_file_repeats_byte_for_byte(tiny_force, tmp_path):
    again = demo_generate(scale=SCALES["tiny"], seed=7, out=tmp_path, as_of=AS_OF)
    for first, second in zip(tiny_force.paths, again.paths, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert (tmp_path / "missing.jsonl").stat().st_size > 0
