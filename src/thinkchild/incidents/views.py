"""Incident pages. Thin: forms in, services and selectors out; refusals go to access middleware."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied
from thinkchild.access.web import reason_for
from thinkchild.incidents import selectors, services
from thinkchild.incidents.forms import (
    IncidentForm,
    IncidentSearchForm,
    ParticipantForm,
    PersonFindForm,
)
from thinkchild.incidents.models import ChildMarkerReason
from thinkchild.people.postcodes import postcode_normalise
from thinkchild.people.selectors import PersonQuery, person_get, person_search
from thinkchild.people.services import location_create


def _person_url(person_id) -> str:
    # The person page belongs to the people app; without it the name is shown unlinked.
    try:
        return reverse("people:detail", args=[person_id])
    except NoReverseMatch:
        return ""


def _require_recording(user) -> None:
    if not role_can(user.role, RecordKind.INCIDENT, Action.RECORD):
        raise AccessDenied(
            f"A {user.get_role_display().lower()} cannot record incidents.",
            kind=RecordKind.INCIDENT,
        )


def _get(request, pk, action: Action = Action.VIEW):
    return selectors.incident_get(
        user=request.user,
        incident_id=pk,
        reason=reason_for(request, RecordKind.INCIDENT, pk),
        action=action,
    )


@login_required
def incident_list(request):
    form = IncidentSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    page = selectors.incident_search(user=request.user, page=request.GET.get("page", 1), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filter_query": query.urlencode(),
        "can_record": role_can(request.user.role, RecordKind.INCIDENT, Action.RECORD),
    }
    return render(request, "incidents/list.html", context)


@login_required
def incident_detail(request, pk):
    incident = _get(request, pk)
    rows = selectors.participant_rows(user=request.user, incident=incident)
    context = {
        "incident": incident,
        "participants": [(row, "" if row.hidden else _person_url(row.person_id)) for row in rows],
        "marker_reasons": [ChildMarkerReason(r).label for r in incident.child_marker_reasons],
        "research": selectors.incident_research(user=request.user, incident=incident),
        "can_record": role_can(request.user.role, RecordKind.INCIDENT, Action.RECORD),
    }
    return render(request, "incidents/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    _require_recording(request.user)
    raw_postcode = (request.POST or request.GET).get("postcode", "").strip()
    postcode, postcode_error = "", ""
    if raw_postcode:
        try:
            postcode = postcode_normalise(raw_postcode)
        except ValidationError as error:
            postcode_error = error.messages[0]
    known = selectors.location_options(user=request.user, postcode=postcode)
    form = IncidentForm(
        request.POST or None,
        user=request.user,
        known_locations=known,
        initial={"postcode": postcode or raw_postcode},
    )
    if request.method == "POST" and form.is_valid():
        incident = _record(request, form)
        if incident is not None:
            messages.success(request, f"Incident {incident.reference} recorded.")
            return redirect("incidents:detail", pk=incident.pk)
    context = {
        "form": form,
        "postcode": postcode or raw_postcode,
        "postcode_error": postcode_error if request.method == "GET" else "",
        "searched": bool(raw_postcode) and request.method == "GET",
        "known_locations": known,
    }
    return render(request, "incidents/create.html", context)


def _record(request, form):
    data = form.cleaned_data
    user = request.user
    location = data["existing_location"]
    try:
        if location is None:
            location = location_create(
                actor=user,
                force=user.force,
                line1=data["line1"],
                town=data.get("town", ""),
                postcode=data["postcode"],
                area=data["area"],
            )
        return services.incident_create(
            actor=user,
            force=user.force,
            area=data["area"],
            team=user.team,
            incident_type=data["incident_type"],
            occurred_at=data["occurred_at"],
            location=location,
            summary=data["summary"],
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request, pk):
    _require_recording(request.user)
    incident = _get(request, pk, action=Action.RECORD)
    find = PersonFindForm(request.GET if "name" in request.GET else None)
    people = []
    if find.is_bound and find.is_valid():
        people = list(_find_people(request.user, find.cleaned_data["name"]))
    chosen = request.POST.get("person")
    if request.method == "POST" and chosen:
        people = _people_by_id(request.user, chosen)
    form = ParticipantForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        services.participant_add(
            actor=request.user, incident=incident, person=person, role=form.cleaned_data["role"]
        )
        messages.success(request, f"{person.full_name} added to {incident.reference}.")
        return redirect("incidents:detail", pk=incident.pk)
    context = {
        "incident": incident,
        "find": find,
        "form": form,
        "people": people,
        "people_search_url": _people_search_url(find),
    }
    return render(request, "incidents/participant_add.html", context)


def _find_people(user, name: str):
    return person_search(user=user, query=PersonQuery(name=name)).object_list


def _people_by_id(user, person_id: str):
    try:
        return [person_get(user=user, person_id=person_id)]
    except (ObjectDoesNotExist, ValidationError, ValueError, PermissionError):
        # Not a person this user may add: the form then says "Select a valid choice".
        return []


def _people_search_url(find) -> str:
    try:
        url = reverse("people:search")
    except NoReverseMatch:
        return ""
    name = find.data.get("name", "") if find.is_bound else ""
    return f"{url}?{urlencode({'name': name})}" if name else url


@login_required
@require_POST
def participant_remove(request, pk, participant_pk):
    _require_recording(request.user)
    incident = _get(request, pk, action=Action.RECORD)
    participant = next((p for p in incident.participants.all() if p.pk == participant_pk), None)
    if participant is not None:
        services.participant_remove(actor=request.user, participant=participant)
        messages.success(request, "Participant removed.")
    return redirect("incidents:detail", pk=incident.pk)
