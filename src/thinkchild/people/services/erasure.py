"""A lawful erasure of a person, and everything recorded about them, history included."""

from django.db import models, transaction

from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.interchange.services import source_records_mark_erased
from thinkchild.people.models import (
    Alias,
    Enrolment,
    Person,
    PersonAddress,
    Pregnancy,
    Relationship,
)


class ErasureRefused(Exception):
    """The erasure cannot go ahead as asked (the person is in incidents, or no justification)."""


@transaction.atomic
def person_erase(
    *, actor, person: Person, justification: str, include_participations: bool = False
) -> dict[str, int]:
    """A lawful erasure (DPA 2018 s.47): the person, all recorded about them, and its history.

    The change history is erased too: a history table keeps full copies of every past version, so
    an erasure that left it would leave the personal data in place. The source keys of the
    person's records stay in the key map, marked erased, so that an import does not bring them
    back. The s.62 processing log is kept
    (the law requires it, and it is append-only); the ERASURE entry names no one.
    Refused while the person is a participant in an incident, unless `include_participations`, so
    an incident never loses a participant by accident.
    """
    from thinkchild.access.models import AccessListEntry
    from thinkchild.incidents.models import Participant

    justification = (justification or "").strip()
    if len(justification) < 10:
        raise ErasureRefused("Say why this person's data must be erased (at least 10 characters).")
    participations = Participant.objects.filter(person=person)
    incident_ids = list(participations.values_list("incident_id", flat=True).distinct())
    if incident_ids and not include_participations:
        raise ErasureRefused(
            f"This person is in {len(incident_ids)} incident(s). Erase their participations too, "
            "or remove them from the incidents first."
        )
    pk = person.pk
    # The keys the person's records had in the source systems (marked below, once erased).
    keyed = {
        "person": [pk],
        "person_address": list(
            PersonAddress.objects.filter(person_id=pk).values_list("pk", flat=True)
        ),
        "relationship": list(
            Relationship.objects.filter(models.Q(person_id=pk) | models.Q(other_id=pk)).values_list(
                "pk", flat=True
            )
        ),
        "enrolment": list(Enrolment.objects.filter(person_id=pk).values_list("pk", flat=True)),
    }
    counts = {
        "participations": participations.delete()[0],
        "aliases": Alias.objects.filter(person_id=pk).delete()[0],
        "pregnancies": Pregnancy.objects.filter(person_id=pk).delete()[0],
        "addresses": PersonAddress.objects.filter(person_id=pk).delete()[0],
        "relationships": Relationship.objects.filter(
            models.Q(person_id=pk) | models.Q(other_id=pk)
        ).delete()[0],
        "enrolments": Enrolment.objects.filter(person_id=pk).delete()[0],
        "access_list": AccessListEntry.objects.filter(
            subject_type="person", subject_id=pk
        ).delete()[0],
    }
    try:
        Person.objects.filter(pk=pk).delete()
    except models.ProtectedError as error:
        # Another app holds a record that cannot lose this person; say which, change nothing.
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
        raise ErasureRefused(
            f"Other records still refer to this person: {', '.join(kinds)}."
        ) from error
    # Deleting writes "deleted" history rows too, so the history goes last.
    history = [
        Person.history.model.objects.filter(id=pk),
        Pregnancy.history.model.objects.filter(person_id=pk),
        PersonAddress.history.model.objects.filter(person_id=pk),
        Relationship.history.model.objects.filter(models.Q(person_id=pk) | models.Q(other_id=pk)),
        Enrolment.history.model.objects.filter(person_id=pk),
        Participant.history.model.objects.filter(person_id=pk),
    ]
    counts["history"] = sum(rows.delete()[0] for rows in history)
    counts["source_keys"] = source_records_mark_erased(objects=keyed)
    _refresh_child_markers(incident_ids)
    processing_log_record(
        operation=Operation.ERASURE,
        actor=actor,
        subject=Subject(type="person", id=pk, label="Erased person"),
        justification=justification,
        detail={"deleted": counts, "incidents": [str(i) for i in incident_ids]},
    )
    return counts


def _refresh_child_markers(incident_ids: list) -> None:
    """An erased participant may have been the child that marked an incident."""
    if not incident_ids:
        return
    from thinkchild.incidents.services import incidents_refresh_child_marker

    incidents_refresh_child_marker(incident_ids=incident_ids)
