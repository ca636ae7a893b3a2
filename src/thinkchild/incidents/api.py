"""Incidents in the REST API. Thin: the same selectors as the web, so the same scope and logging.

A read by a system account is logged by the selectors as a DISCLOSURE to that account. Refusals
(AccessDenied, ReasonRequired) propagate to access.middleware, which answers 403 with the cause.
"""

from datetime import date, datetime
from uuid import UUID

from ninja import Router, Schema
from ninja.errors import HttpError

from thinkchild.incidents import selectors
from thinkchild.incidents.models import ChildMarkerReason

router = Router(tags=["incidents"])


class IncidentOut(Schema):
    id: UUID
    reference: str
    occurred_at: datetime
    incident_type: str
    incident_type_name: str
    area: str
    location: str | None
    summary: str
    restricted: bool
    has_child: bool
    child_marker_reasons: list[str]
    participant_count: int | None = None


class IncidentPage(Schema):
    count: int
    page: int
    pages: int
    items: list[IncidentOut]


class ParticipantOut(Schema):
    id: UUID
    person_id: UUID | None
    name: str
    role: str
    age_at_the_time: int | None
    child: bool


class IncidentDetailOut(IncidentOut):
    child_marker_explained: list[str]
    participants: list[ParticipantOut]


class FactOut(Schema):
    kind: str
    title: str
    occurred_at: datetime | None
    summary: str
    url: str
    warning: bool
    tags: list[str]


class ResearchGroupOut(Schema):
    heading: str
    caption: str
    person_id: UUID | None
    facts: list[FactOut]


def _caller(request):
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise HttpError(401, "Authenticate with a system account's bearer token.")
    return user


def _incident_out(incident) -> dict:
    return {
        "id": incident.pk,
        "reference": incident.reference,
        "occurred_at": incident.occurred_at,
        "incident_type": incident.type_id,
        "incident_type_name": incident.type.name,
        "area": incident.area.code,
        "location": str(incident.location) if incident.location_id else None,
        "summary": incident.summary,
        "restricted": incident.is_restricted,
        "has_child": incident.has_child,
        "child_marker_reasons": incident.child_marker_reasons,
        "participant_count": getattr(incident, "participant_count", None),
    }


@router.get("/incidents", response=IncidentPage)
def incidents_list(
    request,
    reference: str | None = None,
    incident_type: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    has_child: bool | None = None,
    area: UUID | None = None,
    page: int = 1,
):
    found = selectors.incident_search(
        user=_caller(request),
        reference=reference,
        incident_type=incident_type,
        date_from=date_from,
        date_to=date_to,
        has_child=has_child,
        area=area,
        page=page,
    )
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "items": [_incident_out(i) for i in found.object_list],
    }


@router.get("/incidents/{incident_id}", response=IncidentDetailOut)
def incidents_detail(request, incident_id: UUID, reason: str | None = None):
    user = _caller(request)
    incident = selectors.incident_get(user=user, incident_id=incident_id, reason=reason)
    rows = selectors.participant_rows(user=user, incident=incident)
    return {
        **_incident_out(incident),
        "participant_count": len(rows),
        "child_marker_explained": [
            ChildMarkerReason(r).label for r in incident.child_marker_reasons
        ],
        "participants": [
            {
                "id": row.id,
                "person_id": None if row.hidden else row.person_id,
                "name": row.name,
                "role": row.role,
                "age_at_the_time": row.age,
                "child": row.counts_as_child,
            }
            for row in rows
        ],
    }


@router.get("/incidents/{incident_id}/research", response=list[ResearchGroupOut])
def incidents_research(request, incident_id: UUID, reason: str | None = None):
    user = _caller(request)
    incident = selectors.incident_get(user=user, incident_id=incident_id, reason=reason)
    return [
        {
            "heading": group.heading,
            "caption": group.caption,
            "person_id": group.person_id,
            "facts": [
                {
                    "kind": f.kind,
                    "title": f.title,
                    "occurred_at": f.occurred_at,
                    "summary": f.summary,
                    "url": f.url,
                    "warning": f.warning,
                    "tags": list(f.tags),
                }
                for f in group.facts
            ],
        }
        for group in selectors.incident_research(user=user, incident=incident)
    ]
