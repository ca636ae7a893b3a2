"""Episodes on the child's chronology and in "what we already know": what the user may open is
shown and logged; an episode outside their scope shows only its day."""

import datetime as dt

import pytest
import time_machine

from tests import factories
from tests.missing.factories import find, grade, london, report, team_in, user
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents.selectors import incident_research
from thinkchild.missing import services
from thinkchild.missing.models import InterviewMethod
from thinkchild.org.models import Role
from thinkchild.people.selectors.timeline import person_chronology

pytestmark = pytest.mark.django_db

T0 = london(2026, 6, 10, 21, 0)


def whole_episode(child, team):
    officer, sergeant = user(team), user(team, Role.SUPERVISOR)
    episode = report(child, team, T0)
    grade(episode, sergeant, T0 + dt.timedelta(minutes=15), level="high", hours=1)
    with time_machine.travel(T0 + dt.timedelta(minutes=40), tick=False):
        services.enquiry_record(
            actor=officer, episode=episode, kind="cctv", details="Bus station CCTV", result="Seen"
        )
    find(episode, officer, T0 + dt.timedelta(hours=3))
    with time_machine.travel(T0 + dt.timedelta(hours=20), tick=False):
        services.prevention_interview_record(
            actor=officer,
            episode=episode,
            done=True,
            held_at=T0 + dt.timedelta(hours=19),
            method=InterviewMethod.FACE_TO_FACE,
            child_account="Met a man online who bought her a train ticket",
        )
    return episode


def test_the_chronology_shows_the_whole_episode_in_time_order(child, team):
    episode = whole_episode(child, team)
    reader = user(team)
    titles = [
        item.entry.title
        for item in person_chronology(user=reader, person_ids=[child.pk], kinds=["missing"]).items
    ]
    assert titles == [
        "Prevention interview (face to face)",
        "Found at A friend's flat",
        "Enquiry: CCTV",
        "Risk graded high risk",
        f"Reported missing from home ({episode.reference})",
    ]
    assert ProcessingLogEntry.objects.filter(
        subject_id=episode.pk, operation=Operation.CONSULTATION, justification="Chronology"
    ).exists()


def test_an_episode_outside_the_readers_scope_shows_only_its_day(child, team, area):
    whole_episode(child, team)
    elsewhere = team_in(factories.AreaFactory(force=area.force))
    reader = user(elsewhere)
    chronology = person_chronology(
        user=reader,
        person_ids=[child.pk],
        kinds=["missing"],
        reason="Attending a call at the child's school today",
    )
    assert [i.entry.title for i in chronology.items] == ["Missing episode you cannot open"]


def test_what_we_already_know_shows_a_child_missing_now(child, team, area):
    episode = report(child, team, T0, report={"missing_from_location": None})
    incident = factories.IncidentFactory(force=area.force, area=area)
    factories.ParticipantFactory(incident=incident, person=child)
    control = user(team_in(area), Role.CONTROL_ROOM)
    groups = incident_research(user=control, incident=incident)
    facts = [f for g in groups for f in g.facts if f.kind == "missing"]
    assert [f.title for f in facts] == [f"Missing now ({episode.reference})"]
    assert facts[0].warning
