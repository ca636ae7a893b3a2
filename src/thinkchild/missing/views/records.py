"""The forms that add to an episode: the risk grading, the enquiries log, found, and the
interviews."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from thinkchild.access.policy import Action
from thinkchild.missing import services
from thinkchild.missing.forms import (
    EnquiryForm,
    FoundForm,
    PreventionInterviewForm,
    ReturnHomeInterviewForm,
    RiskGradeForm,
    now_initial,
)
from thinkchild.missing.models import (
    APP_WORDING,
    EpisodeStatus,
    RiskLevel,
    one_or_none,
)
from thinkchild.missing.policy import CHILD_MINIMUM_LEVEL, RATIONALE_MODEL, REVIEW_INTERVAL_HOURS
from thinkchild.missing.services import Refused
from thinkchild.missing.views.common import (
    done,
    episode_open,
)
from thinkchild.standards.policy import policy_value
from thinkchild.standards.rationale import MODEL_NAMES

# --- Risk ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def risk_grade(request, pk):
    episode = episode_open(request, pk, Action.RECORD)
    now = timezone.now()
    model = policy_value(RATIONALE_MODEL.key, now)
    hours = policy_value(REVIEW_INTERVAL_HOURS.key, now)
    initial = now_initial("graded", at=now)
    if episode.status == EpisodeStatus.MISSING:
        medium = now + timedelta(hours=hours[RiskLevel.MEDIUM.value])
        initial |= now_initial("next_review", at=medium)
    form = RiskGradeForm(
        request.POST or None,
        initial=initial,
        levels=RiskLevel.choices,
        model=model,
        may_override=services.is_supervisor(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.risk_grade(
                actor=request.user,
                episode=episode,
                level=data["level"],
                rationale=form.rationale(),
                sources=form.sources(),
                next_review_at=form.moment("next_review"),
                graded_at=form.moment("graded"),
                override_by=request.user if data.get("override") else None,
                override_rationale=data.get("override_rationale", ""),
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            return done(request, episode, f"Risk graded on {episode.reference}.")
    chosen = form["level"].value()
    context = {
        "episode": episode,
        "form": form,
        "levels": [
            {"value": level.value, "label": level.label, "wording": APP_WORDING[level]}
            for level in RiskLevel
        ],
        "chosen_level": str(chosen or ""),
        "intervals": [(RiskLevel(level).label.lower(), h) for level, h in hours.items()],
        "model_name": MODEL_NAMES[model],
        "minimum": RiskLevel(policy_value(CHILD_MINIMUM_LEVEL.key, now)).label.lower(),
    }
    return render(request, "missing/grade.html", context)


# --- Enquiries, the return and the interviews ------------------------------------------------


def _form_page(request, episode, form, template: str, write, message: str):
    """A form page about one episode: on a valid POST `write(data)` calls the service."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            return done(request, episode, message)
    return render(request, template, {"episode": episode, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enquiry_record(request, pk):
    episode = episode_open(request, pk, Action.RECORD)
    form = EnquiryForm(
        request.POST or None,
        initial=now_initial("done"),
        may_direct=services.is_supervisor(request.user),
    )
    return _form_page(
        request,
        episode,
        form,
        "missing/enquiry.html",
        lambda data: services.enquiry_record(
            actor=request.user,
            episode=episode,
            kind=data["kind"],
            details=data["details"],
            result=data["result"],
            done_at=form.moment("done"),
        ),
        "Added to the enquiries log.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def found_record(request, pk):
    episode = episode_open(request, pk, Action.RECORD)
    form = FoundForm(request.POST or None, initial=now_initial("found"))
    return _form_page(
        request,
        episode,
        form,
        "missing/found.html",
        lambda data: services.found_record(
            actor=request.user,
            episode=episode,
            found_at=form.moment("found"),
            found_where=data["found_where"],
            found_by=data["found_by"],
            found_with=data["found_with"],
        ),
        f"{episode.child} recorded as found.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def prevention_record(request, pk):
    episode = episode_open(request, pk, Action.RECORD)
    form = PreventionInterviewForm(request.POST or None)
    return _form_page(
        request,
        episode,
        form,
        "missing/prevention.html",
        lambda data: services.prevention_interview_record(
            actor=request.user,
            episode=episode,
            done=data["done"],
            held_at=form.moment("held"),
            method=data["method"],
            method_reason=data["method_reason"],
            child_account=data["child_account"],
            risks_found=data["risks_found"],
            not_done_reason=data["not_done_reason"],
        ),
        "Prevention interview recorded.",
    )


def _return_home_initial(rhi) -> dict:
    if rhi is None:
        return {}
    initial = {
        "declined": rhi.declined,
        "findings": rhi.findings,
        "police_actions": rhi.police_actions,
        "protective_plan_updated": rhi.protective_plan_updated_at is not None,
    }
    for name in ("offered", "held", "findings_received"):
        moment = getattr(rhi, f"{name}_at")
        if moment is not None:
            initial |= now_initial(name, at=moment)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def return_home_record(request, pk):
    episode = episode_open(request, pk, Action.RECORD)
    rhi = one_or_none(episode, "return_home_interview")
    form = ReturnHomeInterviewForm(request.POST or None, initial=_return_home_initial(rhi))
    return _form_page(
        request,
        episode,
        form,
        "missing/return_home.html",
        lambda data: services.return_home_interview_record(
            actor=request.user,
            episode=episode,
            offered_at=form.moment("offered"),
            held_at=form.moment("held"),
            declined=data["declined"],
            findings_received_at=form.moment("findings_received"),
            findings=data["findings"],
            police_actions=data["police_actions"],
            protective_plan_updated=data["protective_plan_updated"],
        ),
        "Return home interview recorded.",
    )
