"""Scope: which records a user sees without asking, and what happens when they ask for more.

Every selector of personal data goes through `decide()` (one record) or the `*_scope_q()` filters
(lists), so the rules in access/policy.py are enforced in one place.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from thinkchild.access.models import AccessListEntry
from thinkchild.access.policy import Action, RecordKind, Scope, reach_for, role_can


class _Refusal(PermissionError):
    """A refusal that names the record, so the web layer can say which record and ask again."""

    def __init__(self, message: str, *, kind: str = "", record_id=None):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.record_id = record_id

    def __str__(self) -> str:
        return self.message


class AccessDenied(_Refusal):
    """The user may not open this record, whatever reason they give."""


class ReasonRequired(_Refusal):
    """The record is outside the user's scope; their role may open it after giving a reason."""


# A reason shorter than this says nothing a reviewer could check ("work", "checking").
REASON_MIN_LENGTH = 10


@dataclass(frozen=True)
class Decision:
    justification: str
    out_of_scope: bool


def on_access_list_q(user, subject_type: str) -> Q:
    """Restricted records open only for the users on their access list, whatever the role."""
    listed = AccessListEntry.objects.filter(
        subject_type=subject_type, subject_id=OuterRef("pk"), user=user
    )
    return Q(is_restricted=False) | Q(Exists(listed))


def held_scope_q(user, *, prefix: str = "", holder: str, area: str = "area_id") -> Q:
    """Records held by a user, a team and an area (incidents, missing episodes, investigations)
    that this user sees without giving a reason: all of the force's for a force-wide role; for a
    local one, those allocated to them (`holder`), held by their team, or in their team's area
    (`area`). Before the access list is applied."""
    reach = reach_for(user.role)
    p = prefix
    if reach.scope == Scope.NONE:
        return Q(pk__in=[])
    q = Q(**{f"{p}force_id": user.force_id})
    if reach.scope == Scope.FORCE:
        return q
    local = Q(**{f"{p}{holder}": user.pk})
    if user.team_id:
        local |= Q(**{f"{p}team_id": user.team_id})
        if user.team.area_id:
            local |= Q(**{f"{p}{area}": user.team.area_id})
    return q & local


def incident_scope_q(user, prefix: str = "") -> Q:
    """Incidents this user sees without giving a reason (before the access list is applied)."""
    return held_scope_q(user, prefix=prefix, holder="allocated_to_id")


def person_scope_q(user) -> Q:
    """People this user sees without asking: their area, or linked to an incident in scope."""
    from thinkchild.incidents.models import Involvement

    reach = reach_for(user.role)
    if reach.scope == Scope.NONE:
        return Q(pk__in=[])
    q = Q(force_id=user.force_id)
    if reach.scope == Scope.FORCE:
        return q
    # An incident is in scope when it is held by the user, their team or their area
    # (incident_scope_q); the involvements say whose incidents a person was in.
    holders = [user.pk]
    area_id = None
    if user.team_id:
        holders.append(user.team_id)
        area_id = user.team.area_id
        if area_id:
            holders.append(area_id)
    involved = Involvement.objects.filter(person=OuterRef("pk"), holder_id__in=holders)
    local = Q(Exists(involved))
    if area_id:
        local = Q(area_id=area_id) | local
    return q & local


# Scope filters of record kinds that domain apps own, registered in their AppConfig.ready()
# (the ground floor never imports the domains).
_scope_filters: dict[str, object] = {}


def register_record_scope(kind: RecordKind, scope_q) -> None:
    """`scope_q(user) -> Q`: the records of `kind` the user sees without asking."""
    _scope_filters[kind] = scope_q


def record_in_scope(*, user, kind: RecordKind, record) -> bool:
    """Whether one record is in the user's scope (the same rule as the list filters)."""
    if kind == RecordKind.PERSON:
        q = person_scope_q(user)
    elif kind == RecordKind.INCIDENT:
        q = incident_scope_q(user)
    elif kind in _scope_filters:
        q = _scope_filters[kind](user)
    else:
        return False
    return type(record)._default_manager.filter(q, pk=record.pk).exists()


def _basis(user) -> str:
    reach = reach_for(user.role)
    if reach.scope == Scope.FORCE:
        return f"In scope: force-wide role ({user.get_role_display()})"
    return f"In scope: own area, team or allocation ({user.get_role_display()})"


def decide(
    *,
    user,
    kind: RecordKind,
    record,
    in_scope: bool,
    reason: str | None,
    action: Action = Action.VIEW,
) -> Decision:
    """Whether `user` may open `record`, and the justification to log if so.

    Raises AccessDenied when the role cannot open it at all (or the record is restricted and the
    user is not on its access list), and ReasonRequired when a reason would let them in.
    """
    ids = {"kind": str(kind), "record_id": record.pk}
    if not user.is_authenticated or not user.is_active:
        raise AccessDenied("Sign in to open this record.", **ids)
    if not role_can(user.role, kind, action):
        raise AccessDenied(
            f"A {user.get_role_display().lower()} cannot open {kind} records.", **ids
        )
    if record.force_id != user.force_id:
        raise AccessDenied("This record belongs to another force.", **ids)
    if (
        record.is_restricted
        and not AccessListEntry.objects.filter(
            subject_type=kind, subject_id=record.pk, user=user
        ).exists()
    ):
        raise AccessDenied("This record is restricted to the people on its access list.", **ids)
    if in_scope:
        return Decision(justification=_basis(user), out_of_scope=False)
    if not reach_for(user.role).beyond_scope_with_reason:
        raise AccessDenied("This record is outside your scope.", **ids)
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ReasonRequired(
            "This record is outside your scope: say why you need to open it.", **ids
        )
    return Decision(justification=reason, out_of_scope=True)
