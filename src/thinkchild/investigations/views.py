"""Investigation pages: supervision at a glance, and the supervisor's review form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.web import reason_for
from thinkchild.investigations import selectors, services
from thinkchild.investigations.forms import (
    InvestigationOpenForm,
    ReallocationForm,
    ReviewGradeForm,
    SupervisionReviewForm,
)
from thinkchild.investigations.selectors import incident_by_reference
from thinkchild.investigations.services import Decision, Refused, WorkItem
from thinkchild.org.models import Role, Team, User
from thinkchild.standards.rationale import NDM_STAGES


def _get(request, pk, action=Action.VIEW):
    return selectors.investigation_get(
        user=request.user,
        investigation_id=pk,
        reason=reason_for(request, RecordKind.INVESTIGATION, pk),
        action=action,
    )


@login_required
def investigation_list(request):
    investigations = selectors.investigations_list(user=request.user)
    may_open = role_can(request.user.role, RecordKind.INVESTIGATION, Action.RECORD)
    context = {"investigations": investigations, "may_open": may_open}
    return render(request, "investigations/list.html", context)


@login_required
def investigation_detail(request, pk):
    investigation = _get(request, pk)
    context = {
        "investigation": investigation,
        "may_review": request.user.role in services.REVIEWER_ROLES
        and request.user.pk != investigation.officer_id,
        "may_grade": request.user.role in services.GRADER_ROLES,
        "may_reallocate": request.user.role in services.REVIEWER_ROLES,
    }
    return render(request, "investigations/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_record(request, pk):
    investigation = _get(request, pk, Action.RECORD)
    members = User.objects.filter(team=investigation.team, is_active=True)
    form = SupervisionReviewForm(request.POST or None, team_members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rationale = {stage: data[f"ndm_{stage}"] for stage in NDM_STAGES}
        decisions = [Decision(data["decision"], rationale)] if data["decision"] else []
        work = (
            [WorkItem(data["work_description"], data["work_owner"], data["work_due_on"])]
            if data["work_description"]
            else []
        )
        try:
            services.supervision_review_record(
                actor=request.user,
                investigation=investigation,
                reviewed_at=form.reviewed_at(),
                risks_considered=data["risks_considered"],
                decisions=decisions,
                further_work=work,
                next_review_by=data["next_review_by"],
                backdated_reason=data["backdated_reason"],
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Supervision review of {investigation.reference} recorded.")
            return redirect("investigations:detail", pk=investigation.pk)
    return render(
        request, "investigations/review.html", {"investigation": investigation, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_grade_record(request, review_pk):
    review, investigation = selectors.supervision_review_get(user=request.user, review_id=review_pk)
    if request.user.role not in services.GRADER_ROLES:
        raise PermissionDenied("Only a detective inspector or an auditor grades supervision.")
    form = ReviewGradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_grade(
            actor=request.user,
            review=review,
            grade=form.cleaned_data["grade"],
            reasons=form.cleaned_data["reasons"],
        )
        messages.success(request, "Grade recorded.")
        return redirect("investigations:detail", pk=investigation.pk)
    context = {"investigation": investigation, "review": review, "form": form}
    return render(request, "investigations/grade.html", context)


@login_required
@require_http_methods(["POST"])
def meeting_record(request, outcome_pk):
    outcome, investigation = selectors.meeting_outcome_get(
        user=request.user, outcome_id=outcome_pk, action=Action.RECORD
    )
    services.meeting_outcome_record(actor=request.user, outcome=outcome)
    messages.success(request, f"The {outcome.meeting} decision is recorded.")
    return redirect("investigations:detail", pk=investigation.pk)


def _force_teams(user):
    return Team.objects.filter(force_id=user.force_id).select_related("area").order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def investigation_open(request):
    if not role_can(request.user.role, RecordKind.INVESTIGATION, Action.RECORD):
        raise PermissionDenied("You cannot open investigations.")
    form = InvestigationOpenForm(request.POST or None, teams=_force_teams(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = incident_by_reference(
                user=request.user, reference=data["incident_reference"]
            )
            investigation = services.investigation_open_from_incident(
                actor=request.user,
                incident=incident,
                type=data["type"],
                team=data["team"],
                override_reason=data["override_reason"],
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Investigation {investigation.reference} opened.")
            return redirect("investigations:detail", pk=investigation.pk)
    return render(request, "investigations/open.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reallocate(request, pk):
    investigation = _get(request, pk, Action.RECORD)
    officers = (
        User.objects.filter(
            force_id=request.user.force_id, is_active=True, role__in=[Role.OFFICER, Role.SPECIALIST]
        )
        .select_related("team")
        .order_by("team__name", "last_name")
    )
    form = ReallocationForm(
        request.POST or None,
        teams=_force_teams(request.user),
        officers=officers,
        initial={"team": investigation.team_id, "officer": investigation.officer_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.investigation_reallocate(
                actor=request.user,
                investigation=investigation,
                team=data["team"],
                officer=data["officer"],
                reason=data["reason"],
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{investigation.reference} reallocated.")
            return redirect("investigations:detail", pk=investigation.pk)
    context = {"investigation": investigation, "form": form}
    return render(request, "investigations/reallocate.html", context)
