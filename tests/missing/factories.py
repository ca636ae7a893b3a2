"""Helpers for the missing-children tests: a child, teams, users, and an episode at any stage."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from tests import factories
from thinkchild.missing import services
from thinkchild.missing.models import MissingFrom
from thinkchild.org.models import Role, TeamKind
from thinkchild.people.models import OrganisationKind
from thinkchild.standards.rationale import NDM_STAGES

LONDON = ZoneInfo("Europe/London")
NDM = {s: f"{s} considered for this child" for s in NDM_STAGES}


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def team_in(area, kind=TeamKind.RESPONSE):
    return factories.TeamFactory(area=area, force=area.force, kind=kind)


def user(team, role=Role.OFFICER):
    return factories.UserFactory(team=team, role=role)


def child_in(area, born=dt.date(2012, 3, 1), **kwargs):
    return factories.PersonFactory(force=area.force, area=area, date_of_birth=born, **kwargs)


def local_authority(force):
    from thinkchild.people.models import Organisation

    return Organisation.objects.create(
        force=force, kind=OrganisationKind.LOCAL_AUTHORITY, name="Northshire Council"
    )


def source(at, information="Carer says she has not been seen since school"):
    return services.Source(information=information, source="Carer", obtained_at=at)


def report(child, team, at, actor=None, **kwargs):
    """A child reported missing from home at `at` (time travelled there)."""
    fields = {"reported_by": "Mother", "missing_from": MissingFrom.HOME, "last_seen_at": at}
    fields.update(kwargs.pop("report", {}))
    with time_machine.travel(at, tick=False):
        return services.episode_report(
            actor=actor or user(team, Role.CONTROL_ROOM),
            child=child,
            team=team,
            report=services.Report(reported_at=at, **fields),
            **kwargs,
        )


def grade(episode, actor, at, level="medium", hours=4, **kwargs):
    with time_machine.travel(at, tick=False):
        return services.risk_grade(
            actor=actor,
            episode=episode,
            level=level,
            rationale=kwargs.pop("rationale", NDM),
            sources=kwargs.pop("sources", [source(at)]),
            next_review_at=kwargs.pop("next_review_at", at + dt.timedelta(hours=hours)),
            graded_at=at,
            **kwargs,
        )


def find(episode, actor, at):
    with time_machine.travel(at, tick=False):
        return services.found_record(
            actor=actor, episode=episode, found_at=at, found_where="A friend's flat", found_by="PC"
        )
