"""The list, reporting a child missing, the episode page and its buttons."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from thinkchild.access.policy import Action, RecordKind
from thinkchild.access.scope import AccessDenied
from thinkchild.access.web import reason_for
from thinkchild.missing import selectors, services
from thinkchild.missing.forms import (
    ChildSearchForm,
    EpisodeReportForm,
    PhilomenaProfileForm,
    PromptActionForm,
    now_initial,
)
from thinkchild.missing.models import (
    EpisodeStatus,
    KnownRisk,
    one_or_none,
)
from thinkchild.missing.services import Refused
from thinkchild.missing.views.common import (
    RATIONALE_AS_RECORDED,
    done,
    episode_open,
    may_record,
    refusal_form,
)
from thinkchild.org.models import Team, User
from thinkchild.people import selectors as people_selectors
from thinkchild.people.models import Organisation, OrganisationKind, Person
from thinkchild.standards.rationale import MODEL_NAMES, MODELS

# --- The list and the report ---------------------------------------------------------------


@login_required
def episode_list(request):
    episodes = selectors.episodes_list(user=request.user)
    context = {"episodes": episodes, "may_report": may_record(request.user)}
    return render(request, "missing/list.html", context)


def _child(request, person_id: str) -> Person:
    try:
        pk = UUID(person_id)
        return people_selectors.person_get(
            user=request.user, person_id=pk, reason=reason_for(request, RecordKind.PERSON, pk)
        )
    except (ValueError, Person.DoesNotExist):
        raise Http404("No such person.") from None


def _child_search(request):
    form = ChildSearchForm(request.GET if "name" in request.GET else None)
    page = None
    if form.is_bound and form.is_valid():
        page = people_selectors.person_search(
            user=request.user,
            query=people_selectors.PersonQuery(
                name=form.cleaned_data["name"],
                page=request.GET.get("page", "1"),
                outside_scope=request.GET.get("outside") == "1",
            ),
        )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("outside", None)
    context = {"form": form, "page": page, "scope_query": query.urlencode()}
    return render(request, "missing/report_search.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def episode_report(request):
    if not may_record(request.user):
        raise AccessDenied(
            f"A {request.user.get_role_display().lower()} cannot report a child missing.",
            kind=RecordKind.MISSING_EPISODE,
        )
    if not request.GET.get("person"):
        if request.method == "POST":
            return redirect("missing:report")
        return _child_search(request)
    child = _child(request, request.GET["person"])
    user = request.user
    form = EpisodeReportForm(
        request.POST or None,
        teams=Team.objects.filter(force_id=user.force_id).select_related("area").order_by("name"),
        authorities=Organisation.objects.filter(
            force_id=user.force_id, kind=OrganisationKind.LOCAL_AUTHORITY
        ).order_by("name"),
        initial={**now_initial("reported"), "team": user.team_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.episode_report(
                actor=user, child=child, team=form.cleaned_data["team"], report=form.report()
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            return done(request, episode, f"{child} reported missing: {episode.reference}.")
    return render(request, "missing/report.html", {"child": child, "form": form})


# --- The episode's page --------------------------------------------------------------------


def _gradings(episode) -> list[dict]:
    """Newest first, each with its rationale stage by stage under the labels of its model."""
    gradings = list(episode.gradings.all())
    rows = []
    for grading in reversed(gradings):
        labels = dict(MODELS.get(grading.model, ()))
        stages = [(label, grading.rationale.get(stage, "")) for stage, label in labels.items()]
        stages += [
            (RATIONALE_AS_RECORDED if stage == "as_recorded" else stage.capitalize(), text)
            for stage, text in grading.rationale.items()
            if stage not in labels
        ]
        reviewed = any(
            later.supervisory
            and not later.legacy_category
            and later.recorded_at >= grading.recorded_at
            for later in gradings
        )
        rows.append(
            {
                "grading": grading,
                "stages": stages,
                "model_name": MODEL_NAMES.get(grading.model, ""),
                "awaiting_review": bool(grading.legacy_category) and not reviewed,
                "awaiting_text": f"Recorded as '{grading.get_legacy_category_display()}' by the "
                "source system — awaiting a supervisor's review",
            }
        )
    return rows


def _detail(request, episode, *, form=None, failed_prompt=None):
    user = request.user
    gradings = _gradings(episode)
    writer = may_record(user)
    is_open = episode.status != EpisodeStatus.CLOSED
    found = one_or_none(episode, "found")
    prevention = one_or_none(episode, "prevention_interview")
    rhi = one_or_none(episode, "return_home_interview")
    profile = selectors.philomena_profile_for(user=user, episode=episode)
    is_supervisor = services.is_supervisor(user)
    prompts = []
    for prompt in episode.prompts.all():
        prompt_form = None
        if is_supervisor and prompt.actioned_at is None:
            prompt_form = (
                failed_prompt[1]
                if failed_prompt and failed_prompt[0] == prompt.pk
                else PromptActionForm(prompt=prompt)
            )
        prompts.append({"prompt": prompt, "form": prompt_form})
    now = timezone.now()
    context = {
        "episode": episode,
        "form": form,
        "profile": profile,
        "gradings": gradings,
        "legacy_waiting": next((r for r in gradings if r["awaiting_review"]), None),
        "prompts": prompts,
        "enquiries": list(episode.enquiries.all()),
        "found": found,
        "prevention": prevention,
        "rhi": rhi,
        "known_risks": [KnownRisk(r).label for r in episode.known_risks if r in KnownRisk.values],
        "review_overdue": episode.status == EpisodeStatus.MISSING
        and episode.next_review_at is not None
        and episode.next_review_at < now,
        "closure_problems": services.closure_problems(episode) if is_open else [],
        "may_record": writer,
        "is_open": is_open,
        "can_act": writer and is_open,
        "can_allocate": writer and is_open and services.is_supervisor(user),
        "can_take": writer
        and is_open
        and episode.officer_id != user.pk
        and user.team_id == episode.team_id
        and not services.is_supervisor(user),
        "team_members": episode_team_members(episode) if writer and is_open else [],
        # A closed episode's imported "absent" can still be reviewed (services.risk).
        "can_review_legacy": writer
        and not is_open
        and services.is_supervisor(user)
        and bool(next((r for r in gradings if r["awaiting_review"]), None)),
        "can_find": writer and episode.status == EpisodeStatus.MISSING,
        "can_prevention": writer and is_open and found is not None and prevention is None,
        "can_notify": writer
        and is_open
        and found is not None
        and not (rhi and rhi.authority_notified_at),
        "can_return_home": writer and found is not None,
        "can_close": writer and episode.status == EpisodeStatus.FOUND,
    }
    return render(request, "missing/detail.html", context)


@login_required
@require_http_methods(["GET"])
def episode_detail(request, pk):
    return _detail(request, episode_open(request, pk))


def episode_team_members(episode):
    """The active users of the team holding the episode, who can be given the enquiry."""
    return User.objects.filter(team_id=episode.team_id, is_active=True).order_by(
        "last_name", "first_name"
    )


def _button(request, pk, act, message: str):
    """A button on the episode's page: the service runs, or its refusal shows on the page. A GET
    (after the reason-for-access page, say) goes back to the page."""
    if request.method != "POST":
        return redirect("missing:detail", pk=pk)
    episode = episode_open(request, pk, Action.RECORD)
    try:
        act(episode)
    except Refused as refused:
        return _detail(request, episode, form=refusal_form(str(refused)))
    return done(request, episode, message.format(reference=episode.reference))


@login_required
@require_http_methods(["GET", "POST"])
def philomena_send(request, pk):
    return _button(
        request,
        pk,
        lambda episode: services.philomena_profile_send(actor=request.user, episode=episode),
        "Philomena profile sent to the enquiry team and added to the enquiries log.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def authority_notify(request, pk):
    return _button(
        request,
        pk,
        lambda episode: services.authority_notify(actor=request.user, episode=episode),
        "Local authority notification recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_close(request, pk):
    return _button(
        request,
        pk,
        lambda episode: services.episode_close(actor=request.user, episode=episode),
        "{reference} closed.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def prompt_action(request, pk, prompt_pk):
    if request.method != "POST":
        return redirect("missing:detail", pk=pk)
    episode = episode_open(request, pk, Action.RECORD)
    prompt = next((p for p in episode.prompts.all() if p.pk == prompt_pk), None)
    if prompt is None:
        raise Http404("This episode has no such prompt.")
    form = PromptActionForm(request.POST, prompt=prompt)
    if form.is_valid():
        try:
            services.prompt_action(
                actor=request.user, prompt=prompt, outcome=form.cleaned_data["outcome"]
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            return done(request, episode, f"{prompt.get_kind_display()}: what was done recorded.")
    return _detail(request, episode, form=form, failed_prompt=(prompt.pk, form))


# --- A child's episodes ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def child_history(request, person_pk):
    """Every episode of one child that the user may open, newest first, with the repeat count."""
    child = _child(request, str(person_pk))
    episodes = selectors.child_episodes(user=request.user, child=child)
    context = {"child": child, "episodes": episodes, "may_report": may_record(request.user)}
    return render(request, "missing/child.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def philomena_profile(request, person_pk):
    """Record a child's Philomena profile, or bring it up to date, from what the carer holds."""
    child = _child(request, str(person_pk))
    if not may_record(request.user):
        raise PermissionDenied("Your role does not record Philomena profiles.")
    profile = selectors.philomena_profile_of(user=request.user, child=child)
    initial = (
        {name: getattr(profile, name) for name in PhilomenaProfileForm.base_fields}
        if (profile)
        else {}
    )
    form = PhilomenaProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.philomena_profile_save(
                actor=request.user,
                child=child,
                held_by=data.pop("held_by"),
                description=data.pop("description"),
                **data,
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Philomena profile of {child.full_name} saved.")
            return redirect("missing:child", person_pk=child.pk)
    context = {"child": child, "form": form, "profile": profile}
    return render(request, "missing/philomena.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def episode_allocate(request, pk):
    """Give the enquiry to an officer of the team holding it (a supervisor), or take it (an
    officer of that team)."""

    def allocate(episode):
        chosen = request.POST.get("officer") or str(request.user.pk)
        officer = episode_team_members(episode).filter(pk=chosen).first()
        if officer is None:
            raise Refused("Choose an officer of the team holding the enquiry.")
        return services.episode_allocate(actor=request.user, episode=episode, officer=officer)

    return _button(request, pk, allocate, "{reference} allocated.")
