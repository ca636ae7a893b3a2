"""The people API: the same selectors as the web, so the same scope and the same logging.

A system account reading here receives the data, so selectors log a DISCLOSURE with the account as
recipient. Authentication belongs to the API assembly (request.auth is the user).
Wire with `api.add_router("/", people.api.router)` in api/urls.py.
"""

from datetime import date, datetime
from uuid import UUID

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from thinkchild.access.scope import AccessDenied, ReasonRequired
from thinkchild.people import selectors
from thinkchild.people.models import Person

router = Router(tags=["people"])


class PersonOut(Schema):
    id: UUID
    given_name: str
    family_name: str
    date_of_birth: date | None
    age: int | None
    is_child: bool
    appears_under_18: bool
    gender: str
    is_restricted: bool
    current_address: str | None

    @staticmethod
    def resolve_current_address(person) -> str | None:
        address = getattr(person, "current_address", None)
        return str(address) if address else None


class PersonPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PersonOut]


class ChronologyEntryOut(Schema):
    occurred_at: datetime
    person_id: UUID
    person_name: str
    kind: str
    kind_label: str
    title: str
    summary: str
    url: str
    tags: list[str]


class ChronologyKindOut(Schema):
    kind: str
    label: str
    count: int


class ChronologyOut(Schema):
    entries: list[ChronologyEntryOut]
    kinds: list[ChronologyKindOut]


def _user(request):
    user = getattr(request, "auth", None) or request.user
    if user is None or not user.is_authenticated:
        raise HttpError(401, "Authentication required.")
    return user


def _refused(error: PermissionError) -> HttpError:
    # An API client cannot answer "why do you need this record?": the refusal says what is missing.
    return HttpError(403, str(error))


@router.get("/people", response=PersonPageOut, summary="Search people")
def people_search(
    request,
    name: str = "",
    date_of_birth: date | None = None,
    postcode: str = "",
    page: int = Query(1, ge=1),
):
    query = selectors.PersonQuery(
        name=name, date_of_birth=date_of_birth, address=postcode, page=page
    )
    if query.is_empty:
        raise HttpError(400, "Give a name, a date of birth or a postcode to search for.")
    try:
        result = selectors.person_search(user=_user(request), query=query)
    except (AccessDenied, ReasonRequired) as error:
        raise _refused(error) from error
    return {
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "results": list(result.object_list),
    }


def _person(request, person_id: UUID, reason: str | None):
    try:
        return selectors.person_get(user=_user(request), person_id=person_id, reason=reason)
    except Person.DoesNotExist as error:
        raise HttpError(404, "No such person.") from error
    except (AccessDenied, ReasonRequired) as error:
        raise _refused(error) from error


@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def people_get(request, person_id: UUID, reason: str | None = None):
    return _person(request, person_id, reason)


@router.get(
    "/people/{person_id}/chronology", response=ChronologyOut, summary="A person's chronology"
)
def people_chronology(
    request,
    person_id: UUID,
    kind: list[str] = Query(None),
    date_from: date | None = None,
    date_to: date | None = None,
    reason: str | None = None,
):
    try:
        chronology = selectors.person_chronology(
            user=_user(request),
            person_ids=[person_id],
            kinds=kind or None,
            date_from=date_from,
            date_to=date_to,
            reason=reason,
        )
    except Person.DoesNotExist as error:
        raise HttpError(404, "No such person.") from error
    except (AccessDenied, ReasonRequired) as error:
        raise _refused(error) from error
    return {
        "entries": [
            {
                "occurred_at": item.entry.occurred_at,
                "person_id": item.entry.person_id,
                "person_name": item.person_name,
                "kind": item.entry.kind,
                "kind_label": item.entry.kind_label,
                "title": item.entry.title,
                "summary": item.entry.summary,
                "url": item.entry.url,
                "tags": list(item.entry.tags),
            }
            for item in chronology.items
        ],
        "kinds": [{"kind": k.kind, "label": k.label, "count": k.count} for k in chronology.kinds],
    }
