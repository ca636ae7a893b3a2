"""A test URLconf: the real site plus a record page that behaves as a detail view must."""

from django.http import HttpResponse
from django.urls import include, path

from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.access.policy import RecordKind
from thinkchild.access.scope import decide, record_in_scope
from thinkchild.access.web import reason_for
from thinkchild.people.models import Person


def person_page(request, pk):
    person = Person.objects.get(pk=pk)
    decision = decide(
        user=request.user,
        kind=RecordKind.PERSON,
        record=person,
        in_scope=record_in_scope(user=request.user, kind=RecordKind.PERSON, record=person),
        reason=reason_for(request, RecordKind.PERSON, pk),
    )
    processing_log_record(
        operation=Operation.CONSULTATION,
        actor=request.user,
        subject=Subject(type=RecordKind.PERSON, id=person.pk, label=str(person)),
        justification=decision.justification,
        out_of_scope=decision.out_of_scope,
    )
    return HttpResponse(f"Person record of {person.given_name}")


urlpatterns = [
    path("test/person/<uuid:pk>/", person_page, name="test_person"),
    path("", include("thinkchild.config.urls")),
]
