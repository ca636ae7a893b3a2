"""The missing-children summary: each figure by area and month, counted by the database."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from tests.missing.factories import child_in, find, grade, london, report, team_in, user
from tests.org.sessions import sign_in
from thinkchild.access.scope import AccessDenied
from thinkchild.missing import services
from thinkchild.missing.models import InterviewMethod
from thinkchild.missing.summary import missing_summary
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db

JUNE, JULY = dt.date(2026, 6, 1), dt.date(2026, 7, 1)


def interview(episode, officer, at):
    with time_machine.travel(at, tick=False):
        services.prevention_interview_record(
            actor=officer,
            episode=episode,
            done=True,
            held_at=at,
            method=InterviewMethod.FACE_TO_FACE,
            child_account="Stayed at a friend's house",
        )


def rhi_held(episode, officer, at):
    with time_machine.travel(at, tick=False):
        services.return_home_interview_record(actor=officer, episode=episode, held_at=at)


def test_each_figure_by_area_and_month(area):
    team = team_in(area)
    officer, sergeant = user(team), user(team, Role.SUPERVISOR)
    other = team_in(factories.AreaFactory(force=area.force, name="East"))
    repeat_child = child_in(area)
    episodes = [report(repeat_child, team, london(2026, 6, d, 12, 0)) for d in (1, 10, 20)]
    grade(episodes[0], sergeant, london(2026, 6, 1, 12, 30), level="high", hours=1)
    grade(episodes[1], sergeant, london(2026, 6, 10, 12, 30), level="medium")
    find(episodes[0], officer, london(2026, 6, 1, 18, 0))
    interview(episodes[0], officer, london(2026, 6, 2, 10, 0))
    rhi_held(episodes[0], officer, london(2026, 6, 4, 17, 59))  # 71:59 after the return
    find(episodes[1], officer, london(2026, 6, 10, 18, 0))
    rhi_held(episodes[1], officer, london(2026, 6, 13, 18, 1))  # 72:01: late
    report(child_in(area), other, london(2026, 6, 30, 23, 30))  # 30 June in London
    report(child_in(area), team, london(2026, 7, 1, 0, 30))  # 1 July in London, 30 June UTC
    with time_machine.travel(london(2026, 7, 2, 9, 0), tick=False):
        rows = missing_summary(user=sergeant, month_from=JUNE, month_to=JULY)
    by = {(r.month, r.area): r for r in rows}
    june = by[JUNE, area.name]
    assert (june.episodes, june.high, june.medium, june.not_graded) == (3, 1, 1, 1)
    assert (june.repeat_children, june.returned, june.prevention_done) == (1, 2, 1)
    assert june.rhi_within_72h == 1
    assert by[JUNE, "East"].episodes == 1
    assert by[JULY, area.name].episodes == 1
    assert [r.month for r in rows] == [JULY, JUNE, JUNE]  # newest month first


def test_a_role_without_aggregates_sees_no_summary(area):
    with pytest.raises(AccessDenied):
        missing_summary(user=user(team_in(area)), month_from=JUNE, month_to=JULY)


def test_a_legacy_absent_counts_until_a_supervisor_reviews_it(area):
    team = team_in(area)
    sergeant = user(team, Role.SUPERVISOR)
    episode = report(child_in(area), team, london(2026, 6, 5, 12, 0))
    with time_machine.travel(london(2026, 6, 6, 9, 0), tick=False):
        services.legacy_grading_keep(
            actor=None,
            episode=episode,
            as_recorded="absent",
            graded_at=london(2026, 6, 5, 12, 5),
            graded_by="Niche",
        )

    def waiting():
        (row,) = missing_summary(user=sergeant, month_from=JUNE, month_to=JUNE)
        return row.legacy_awaiting_review, row.very_low

    assert waiting() == (1, 1)
    grade(episode, sergeant, london(2026, 6, 6, 10, 0), level="medium")
    assert waiting() == (0, 0)


def test_the_summary_page_shows_the_figures_and_refuses_an_officer(client, area):
    team = team_in(area)
    report(child_in(area), team, london(2026, 6, 5, 12, 0))
    with time_machine.travel(london(2026, 6, 20, 9, 0), tick=False):
        sign_in(client, user(team, Role.ANALYST))
        page = client.get(reverse("missing:summary")).content.decode()
        assert "Missing children: summary" in page
        assert f'<span class="govuk-body-s">{area.name}</span>' in page
        sign_in(client, user(team))
        assert client.get(reverse("missing:summary")).status_code == 403
