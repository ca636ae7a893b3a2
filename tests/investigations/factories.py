"""Helpers for the investigations tests."""

import datetime as dt
from zoneinfo import ZoneInfo

from tests import factories
from thinkchild.investigations import services
from thinkchild.investigations.models import InvestigationType
from thinkchild.org.models import Role, TeamKind
from thinkchild.standards.rationale import NDM_STAGES

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=LONDON)
NDM = {s: f"{s} considered" for s in NDM_STAGES}


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def user(team, role=Role.OFFICER):
    return factories.UserFactory(team=team, role=role)


def cse_case(teams, child, adult, **kwargs):
    team = teams[TeamKind.CSE]
    return services.investigation_open(
        actor=user(team, Role.SUPERVISOR),
        reference=kwargs.pop("reference", "INV-1"),
        type=InvestigationType.CSE_IN_PERSON,
        team=team,
        officer=kwargs.pop("officer", None) or user(team),
        victims=[child],
        suspects=[adult],
        at=kwargs.pop("at", NOW),
        **kwargs,
    )
