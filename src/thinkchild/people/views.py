"""People pages. Thin: forms in, selectors and services out; refusals go to the access middleware
(AccessDenied becomes a 403 page, ReasonRequired the "Why do you need to open this record?" page).
"""

from datetime import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods

from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied
from thinkchild.access.web import reason_for
from thinkchild.people import selectors, services
from thinkchild.people.forms import ChronologyFilterForm, PersonCreateForm, PersonSearchForm
from thinkchild.people.models import Person


def _person(request, pk) -> Person:
    try:
        return selectors.person_get(
            user=request.user,
            person_id=pk,
            reason=reason_for(request, RecordKind.PERSON, pk),
        )
    except Person.DoesNotExist:
        raise Http404("No such person.") from None


def _query_string(request, *drop: str) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@login_required
def search(request):
    form = PersonSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        outside = request.GET.get("outside") == "1"
        page = selectors.person_search(
            user=request.user,
            query=form.query(page=request.GET.get("page", "1"), outside_scope=outside),
        )
    elif not role_can(request.user.role, RecordKind.PERSON, Action.SEARCH):
        # Say so before the user types a search they could never run.
        raise AccessDenied(
            f"A {request.user.get_role_display().lower()} cannot search people's records.",
            kind=RecordKind.PERSON,
        )
    context = {
        "form": form,
        "page": page,
        "page_query": _query_string(request, "page"),
        "scope_query": _query_string(request, "page", "outside"),
        "can_record": role_can(request.user.role, RecordKind.PERSON, Action.RECORD),
    }
    return render(request, "people/search.html", context)


def _summary_rows(person) -> list[dict]:
    if person.date_of_birth:
        born = f"{person.date_of_birth:%-d %B %Y} (age {person.age})"
    elif person.age is not None:
        born = f"Not known (estimated age {person.age})"
    else:
        born = "Not known"
    return [
        {"key": "Name", "value": person.full_name},
        {"key": "Date of birth", "value": born},
        {"key": "Appears under 18", "value": "Yes" if person.appears_under_18 else "No"},
        {"key": "Gender", "value": person.get_gender_display()},
        {"key": "Address now", "value": str(person.current_address or "No current address")},
        {"key": "Area", "value": person.area.name if person.area_id else "Not known"},
    ]


@login_required
def detail(request, pk):
    person = _person(request, pk)
    household = selectors.person_household(user=request.user, person=person)
    # The incidents app contributes these through the chronology registry.
    incidents = selectors.person_chronology_entries(
        user=request.user, person=person, kind="incident"
    )
    context = {
        "person": person,
        "household": household,
        "incidents": incidents,
        "summary_rows": _summary_rows(person),
        "can_read_processing_log": role_can(
            request.user.role, RecordKind.PROCESSING_LOG, Action.VIEW_PROCESSING_LOG
        ),
        **selectors.person_record(person=person),
    }
    return render(request, "people/detail.html", context)


def _timeline(chronology, *, whose: bool) -> list[dict]:
    """Items for components/moj/timeline.html; in a household, each says whose entry it is."""
    items = []
    for item in chronology.items:
        entry = item.entry
        local = timezone.localtime(entry.occurred_at)
        tags = format_html_join(
            " ", '<strong class="govuk-tag govuk-tag--red">{}</strong>', ((t,) for t in entry.tags)
        )
        items.append(
            {
                "label": f"{item.person_name}: {entry.title}" if whose else entry.title,
                "href": entry.url,
                "datetime": local,
                # People's own records carry a day, not a time (chronology_providers).
                "date_only": local.time() == time.min,
                "html": format_html(
                    '<p class="govuk-body-s govuk-!-margin-bottom-1">'
                    '<strong class="govuk-tag govuk-tag--grey">{}</strong> {}</p>'
                    '<p class="govuk-body govuk-!-margin-bottom-0">{}</p>',
                    entry.kind_label,
                    tags,
                    entry.summary,
                ),
            }
        )
    return items


def _chronology_context(request, person_ids, *, reason=None, whose=False):
    form = ChronologyFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    chronology = selectors.person_chronology(
        user=request.user, person_ids=person_ids, reason=reason, **filters
    )
    # Each checkbox says how many entries of its kind there are in the date range.
    form.fields["kinds"].choices = [(k.kind, f"{k.label} ({k.count})") for k in chronology.kinds]
    return {"form": form, "chronology": chronology, "timeline": _timeline(chronology, whose=whose)}


@login_required
def chronology(request, pk):
    # person_chronology decides and logs the access itself, so the page logs one consultation.
    try:
        context = _chronology_context(
            request, [pk], reason=reason_for(request, RecordKind.PERSON, pk)
        )
    except Person.DoesNotExist:
        raise Http404("No such person.") from None
    person = selectors.annotate_person(context["chronology"].people[0])
    return render(request, "people/chronology.html", {"person": person, **context})


@login_required
def household_chronology(request, pk):
    person = _person(request, pk)
    household = selectors.person_household(user=request.user, person=person)
    context = _chronology_context(
        request,
        household.person_ids,
        reason=reason_for(request, RecordKind.PERSON, pk),
        whose=True,
    )
    return render(
        request,
        "people/household_chronology.html",
        {"person": person, "household": household, **context},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not role_can(request.user.role, RecordKind.PERSON, Action.RECORD):
        raise AccessDenied(
            f"A {request.user.get_role_display().lower()} cannot record people.",
            kind=RecordKind.PERSON,
        )
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person.full_name} recorded.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/create.html", {"form": form})
