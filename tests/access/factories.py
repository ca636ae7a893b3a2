"""Records for access tests: a user of any role in an area, and records in or out of that area."""

from django.utils import timezone

from tests import factories
from thinkchild.access.models import AccessListEntry
from thinkchild.investigations.models import Investigation, InvestigationType
from thinkchild.org.models import Role, TeamKind

# A sensible team for each role; scope follows the team's area (force-wide teams have none).
TEAM_KIND = {
    Role.OFFICER: TeamKind.RESPONSE,
    Role.CONTROL_ROOM: TeamKind.CONTROL_ROOM,
    Role.SUPERVISOR: TeamKind.RESPONSE,
    Role.SPECIALIST: TeamKind.CHILD_PROTECTION,
    Role.MASH: TeamKind.MASH,
    Role.CUSTODY: TeamKind.CUSTODY,
    Role.DETECTIVE_INSPECTOR: TeamKind.CHILD_PROTECTION,
    Role.AUDITOR: TeamKind.PUBLIC_PROTECTION,
    Role.ANALYST: TeamKind.PUBLIC_PROTECTION,
    Role.PPU_LEAD: TeamKind.PUBLIC_PROTECTION,
    Role.SYSTEM_ADMIN: TeamKind.PUBLIC_PROTECTION,
    Role.SYSTEM_ACCOUNT: TeamKind.PUBLIC_PROTECTION,
}


def user_in(area, role, **kwargs):
    team = factories.TeamFactory(area=area, force=area.force, kind=TEAM_KIND[Role(role)])
    return factories.UserFactory(team=team, role=role, **kwargs)


def person_in(area, **kwargs):
    return factories.PersonFactory(force=area.force, area=area, **kwargs)


def incident_in(area, **kwargs):
    return factories.IncidentFactory(force=area.force, area=area, **kwargs)


def investigation_in(area, **kwargs):
    team = factories.TeamFactory(area=area, force=area.force)
    now = timezone.now()
    return Investigation.objects.create(
        force=area.force,
        reference=f"INV-{Investigation.objects.count() + 1:05d}",
        type=InvestigationType.OTHER,
        team=team,
        allocated_at=now,
        opened_at=now,
        **kwargs,
    )


def missing_episode_in(area, **kwargs):
    from thinkchild.missing.models import MissingEpisode, MissingFrom

    team = factories.TeamFactory(area=area, force=area.force)
    now = timezone.now()
    return MissingEpisode.objects.create(
        force=area.force,
        area=area,
        team=team,
        reference=f"MIS-{MissingEpisode.objects.count() + 1:05d}",
        child=person_in(area),
        reported_at=now,
        reported_by="Carer",
        recorded_at=now,
        missing_from=MissingFrom.HOME,
        **kwargs,
    )


def record_in(kind: str, area, **kwargs):
    made = {
        "person": person_in,
        "incident": incident_in,
        "investigation": investigation_in,
        "missing_episode": missing_episode_in,
    }
    return made[kind](area, **kwargs)


def access_list_add(record, kind: str, user):
    return AccessListEntry.objects.create(subject_type=kind, subject_id=record.pk, user=user)
