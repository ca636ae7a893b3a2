"""POLE events: incidents, the people in them and their roles, and the derived child marker."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from thinkchild.access.history import ChangeHistory
from thinkchild.access.ids import record_id


class IncidentType(models.Model):
    """A configurable incident type (domestic abuse, concern for a child, missing person, ...)."""

    code = models.SlugField(max_length=48, primary_key=True)
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChildMarkerReason(models.TextChoices):
    UNDER_18 = "under_18", "A participant was under 18"
    APPEARS_UNDER_18 = "appears_under_18", "A participant appeared under 18"
    UNBORN_CHILD = "unborn_child", "A participant was pregnant"


class Incident(models.Model):
    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    # No index: one force per deployment, so an index on it would select every row (and cost every
    # import write, like the two below).
    force = models.ForeignKey(
        "org.Force", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # No index of its own on a foreign key that leads a composite index below (docs/decisions/0008).
    area = models.ForeignKey("org.Area", on_delete=models.PROTECT, related_name="+", db_index=False)
    team = models.ForeignKey(
        "org.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_incidents",
    )
    # Unique by a constraint (Meta), not unique=True: that would add a second, pattern-matching
    # index on PostgreSQL, and the search by a reference's start uses incidents_reference_upper.
    reference = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    location = models.ForeignKey(
        "people.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        db_index=False,
    )
    # A plain index (Meta), without the pattern-matching one PostgreSQL would add for a text key.
    type = models.ForeignKey(
        IncidentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    summary = models.TextField(blank=True)
    is_restricted = models.BooleanField(default=False)
    # The child marker: derived by incidents.marker from the participants, never typed.
    has_child = models.BooleanField(default=False, editable=False)
    child_marker_reasons = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = ChangeHistory()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["area", "-occurred_at"]),
            models.Index(fields=["location", "-occurred_at"]),
            models.Index(fields=["has_child", "-occurred_at"]),
            models.Index(fields=["-occurred_at"]),
            # For the search by the start of a reference, in any case (incidents.selectors).
            models.Index(Upper("reference"), name="incidents_reference_upper"),
            models.Index(fields=["type"], name="incidents_type"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="incidents_reference_unique"),
        ]

    def __str__(self) -> str:
        return self.reference


class ParticipantRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"
    CALLER = "caller", "Caller"
    CHILD_PRESENT = "child_present", "Child present"
    CHILD_NORMALLY_RESIDENT = "child_normally_resident", "Child normally resident"
    OTHER = "other", "Other"


class Participant(models.Model):
    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    # No index of its own on a foreign key that leads a composite index below (docs/decisions/0008).
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="participations", db_index=False
    )
    role = models.CharField(max_length=32, choices=ParticipantRole.choices)
    history = ChangeHistory(indexed=("person",))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "person", "role"], name="incidents_participant_unique"
            ),
        ]
        indexes = [models.Index(fields=["person", "incident"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.incident}"


class IncidentReferenceSequence(models.Model):
    """The last number issued for incidents recorded in Think Child in a year ("TC-2026-000123").

    A counter row, not MAX(reference)+1, so two people recording at once never get the same number
    (the row is locked by the UPDATE until the transaction ends).
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Involvement(models.Model):
    """That a person took part in an incident held by an area, a team or an officer.

    `holder_id` is the id of whichever holds it (ids are unique across the three). Derived from the
    participants by incidents.involvement, never written by hand: it lets the access layer decide
    that a person is in an area-scoped user's scope with one index probe, instead of walking every
    incident the person was ever in (docs/decisions/0009).
    """

    pk = models.CompositePrimaryKey("person_id", "holder_id")
    # The primary key leads with the person: no index of its own. No database constraint: a row is
    # derived from a participant, whose own constraint already guards the person, and an import
    # adds about ten of these per incident, each of which PostgreSQL would check again at commit
    # (docs/decisions/0011). Deleting a person deletes them through Django's cascade.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    holder_id = models.UUIDField()

    def __str__(self) -> str:
        return f"{self.person_id} in an incident held by {self.holder_id}"
