"""Users of each role placed in a small force, for the incident tests."""

from dataclasses import dataclass

from tests import factories
from thinkchild.access.models import AccessListEntry
from thinkchild.org.models import Area, Role, Team, TeamKind

FORCE_WIDE_TEAMS = {
    Role.CONTROL_ROOM: TeamKind.CONTROL_ROOM,
    Role.MASH: TeamKind.MASH,
    Role.PPU_LEAD: TeamKind.PUBLIC_PROTECTION,
}


@dataclass
class Beat:
    """Two areas of one force: `north` is where the officers under test work."""

    north: Area
    south: Area
    north_team: Team
    south_team: Team


def beat(force) -> Beat:
    north = factories.AreaFactory(force=force, name="North")
    south = factories.AreaFactory(force=force, name="South")
    return Beat(
        north=north,
        south=south,
        north_team=factories.TeamFactory(force=force, area=north),
        south_team=factories.TeamFactory(force=force, area=south),
    )


def user_in(role, *, force, team=None):
    if team is None and role in FORCE_WIDE_TEAMS:
        team = factories.TeamFactory(force=force, area=None, kind=FORCE_WIDE_TEAMS[role])
    if team is None:
        team = factories.TeamFactory(force=force, area=factories.AreaFactory(force=force))
    return factories.UserFactory(role=role, team=team, force=force)


def grant(user, incident) -> None:
    """Put `user` on a restricted incident's access list."""
    AccessListEntry.objects.create(subject_type="incident", subject_id=incident.pk, user=user)
