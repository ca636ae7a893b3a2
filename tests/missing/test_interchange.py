"""Missing children's history imported in the canonical format: a whole episode settles (closed
once its conditions are met, its obligations worked out), bad records get specific reasons in the
quarantine, a source's "absent" is kept and flagged, and a re-import changes nothing."""

import pytest

from tests.interchange.canonical import (
    NDM,
    all_records,
    family_records,
    jsonl_write,
    missing_records,
    org_records,
    rec,
)
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.interchange.models import QuarantinedRecord
from thinkchild.interchange.services import import_files
from thinkchild.missing.models import (
    EpisodeStatus,
    LegacyCategory,
    MissingEpisode,
    PromptKind,
    RiskLevel,
)
from thinkchild.missing.services.settle import episodes_settle
from thinkchild.standards.models import Obligation, ObligationStatus

pytestmark = pytest.mark.django_db


def load(tmp_path, records, name="missing.jsonl"):
    return import_files(paths=[jsonl_write(tmp_path / name, records)], progress=False)


def without(*source_ids):
    return [r for r in missing_records() if r["source_id"] not in source_ids]


def reasons_of(source_id: str) -> list[str]:
    entry = QuarantinedRecord.objects.get(source_id=source_id)
    return [r["message"] for r in entry.reasons]


@pytest.fixture
def base(tmp_path):
    load(tmp_path, org_records() + family_records(), "base.jsonl")


def test_a_whole_episode_is_imported_settled_and_closed(tmp_path):
    summary = load(tmp_path, all_records())
    assert (summary.rejected, summary.held) == (0, 0)
    episode = MissingEpisode.objects.get(reference="MIS-000001")
    assert episode.settled
    assert (episode.status, episode.risk_level) == (EpisodeStatus.CLOSED, RiskLevel.MEDIUM)
    assert episode.closed_at == episode.source_closed_at
    assert episode.found.before_allocation  # no officer was allocated
    # The interviews' facts the summary counts are kept on the episode.
    assert episode.prevention_done
    assert episode.return_interview_held_at == episode.return_home_interview.held_at
    statuses = dict(
        Obligation.objects.filter(subject_id=episode.pk).values_list("standard_id", "status")
    )
    assert statuses["missing.authority_notified"] == ObligationStatus.MET_ON_TIME
    assert statuses["missing.prevention_interview"] == ObligationStatus.MET_ON_TIME
    assert statuses["missing.return_interview_information"] == ObligationStatus.MET_ON_TIME
    assert statuses["missing.first_grading_supervised"] == ObligationStatus.OVERDUE  # an officer's
    logged = ProcessingLogEntry.objects.filter(
        subject_id=episode.pk, operation=Operation.COLLECTION
    )
    assert logged.count() == 7 - 1  # the episode and its six parts (the profile is the child's)


def test_re_importing_the_same_file_changes_nothing(tmp_path):
    load(tmp_path, all_records())
    summary = load(tmp_path, all_records())
    assert (summary.accepted, summary.unchanged) == (0, len(all_records()))


def test_closed_at_waits_for_the_closing_conditions(tmp_path, base):
    load(tmp_path, without("PI1"))
    episode = MissingEpisode.objects.get()
    assert episode.status == EpisodeStatus.FOUND and episode.closed_at is None
    load(tmp_path, [r for r in missing_records() if r["source_id"] == "PI1"], "later.jsonl")
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED


def _with(source_id, **changes):
    return [{**r, **changes} if r["source_id"] == source_id else r for r in missing_records()]


def test_a_child_found_before_the_report_is_refused(tmp_path, base):
    load(tmp_path, _with("FR1", found_at="2026-04-02T19:00:00+00:00"))
    assert reasons_of("FR1") == ["before MIS-000001 was reported (02/04/2026 21:30)"]


def test_a_return_home_interview_before_the_return_is_refused(tmp_path, base):
    load(tmp_path, _with("RHI1", held_at="2026-04-03T08:00:00+00:00", offered_at=None))
    assert reasons_of("RHI1") == ["before the return of MIS-000001 (03/04/2026 10:00)"]


def test_a_level_outside_the_continuum_is_refused(tmp_path, base):
    load(tmp_path, _with("G1", level="critical"))
    assert reasons_of("G1") == [
        "'critical' is not one of high, medium, low, very_low, absent, no_apparent_risk"
    ]


def test_a_grading_without_its_rationale_or_sources_is_refused(tmp_path, base):
    partial = {k: v for k, v in NDM.items() if k != "powers"}
    load(tmp_path, _with("G1", rationale=partial, sources=None))
    assert reasons_of("G1") == [
        "the rationale has no powers (ndm)",
        "a grading names the information it used, with its time",
    ]


def test_a_source_absent_is_kept_as_recorded_and_flagged(tmp_path, base):
    legacy = _with("G1", level="absent", rationale=None, sources=None, next_review_at=None)
    load(tmp_path, [r for r in legacy if r["source_id"] not in ("PI1",)])
    episode = MissingEpisode.objects.get()
    assert (episode.risk_level, episode.legacy_category) == (
        RiskLevel.VERY_LOW,
        LegacyCategory.ABSENT,
    )
    review = Obligation.objects.get(standard_id="missing.legacy_grading_reviewed")
    assert review.status in (ObligationStatus.OPEN, ObligationStatus.OVERDUE)


def test_a_child_graded_below_the_minimum_needs_a_supervisors_override(tmp_path, base):
    load(tmp_path, _with("G1", level="low", next_review_at="2026-04-03T06:45:00+00:00"))
    assert reasons_of("G1") == ["a child graded below medium needs a supervisor's override"]


def test_an_adult_is_not_a_missing_child(tmp_path, base):
    load(tmp_path, _with("M1", child="P2"))
    assert reasons_of("M1") == ["born 20/01/1988: 18 or over on the day reported"]


def test_a_second_found_report_for_the_same_episode_is_refused(tmp_path, base):
    second = rec(
        "found_report",
        "FR2",
        episode="M1",
        found_at="2026-04-03T10:00:00+00:00",
        found_where="Home",
        found_by="Mother",
    )
    load(tmp_path, [*missing_records(), second])
    assert reasons_of("FR2") == ["MIS-000001 already has a found report (line 6)"]


def _episode(source_id, reported_at, child="P1"):
    return rec(
        "missing_episode",
        source_id,
        reference=f"MIS-{source_id}",
        child=child,
        area="A1",
        team="T1",
        reported_at=reported_at,
        reported_by="Mother",
        missing_from="home",
    )


def test_repeat_counts_hold_whatever_order_the_episodes_arrive_in(tmp_path, base):
    load(tmp_path, [_episode("E3", "2026-03-20T12:00:00+00:00")], "first.jsonl")
    assert not MissingEpisode.objects.get().repeat_marker
    load(
        tmp_path,
        [_episode("E1", "2026-01-20T12:00:00+00:00"), _episode("E2", "2026-02-20T12:00:00+00:00")],
        "earlier.jsonl",
    )
    latest = MissingEpisode.objects.get(reference="MIS-E3")
    assert (latest.repeat_count, latest.repeat_marker) == (3, True)
    assert {p.kind for p in latest.prompts.all()} >= {PromptKind.PANEL, PromptKind.EXPLOITATION}


def test_episodes_an_interrupted_import_left_unsettled_are_settled_by_the_tick(tmp_path, base):
    load(tmp_path, missing_records())
    MissingEpisode.objects.update(settled=False, status=EpisodeStatus.MISSING, closed_at=None)
    assert episodes_settle() == 1
    assert MissingEpisode.objects.get().status == EpisodeStatus.CLOSED


def test_settling_in_bulk_leaves_the_obligations_a_refresh_one_by_one_would(tmp_path, base):
    from thinkchild.standards.services import obligations_refresh

    episodes = [
        _episode(f"E{n}", f"2026-0{n}-0{n}T12:00:00+00:00", child=child)
        for n, child in ((1, "P1"), (2, "P1"), (3, "P1"), (4, "P1"))
    ]
    load(tmp_path, [*missing_records(), *episodes])
    assert Obligation.objects.filter(standard_id="missing.repeat_prompts").exists()
    for pk in MissingEpisode.objects.values_list("pk", flat=True):
        assert obligations_refresh(subject_type="missing_episode", subject_id=pk) == 0


def test_the_importer_asks_what_the_report_form_asks(tmp_path, base):
    in_care = _with("M1", missing_from="foster_care")
    load(tmp_path, [r for r in in_care if r["source_id"] == "M1"])
    assert reasons_of("M1") == ["a looked-after child's responsible local authority"]
    short = _with("PI1", done=False, not_done_reason="no")
    load(tmp_path, short, "short.jsonl")
    assert reasons_of("PI1") == ["say why the prevention interview was not done"]
