"""POLE persons, locations and organisations, and how they relate over time."""

from django.db import models

from thinkchild.access.history import ChangeHistory
from thinkchild.access.ids import record_id


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Location(models.Model):
    """An address. The postcode is validated and stored in its normalised form ("PR1 2AB")."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    force = models.ForeignKey("org.Force", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "org.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, db_index=True)
    uprn = models.BigIntegerField(
        null=True, blank=True, help_text="Unique Property Reference Number"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = ChangeHistory()

    class Meta:
        ordering = ["postcode", "line1"]

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.line1, self.line2, self.town, self.postcode) if part
        )


class Person(models.Model):
    """A person known to the force: a child, a parent, a suspect, a witness."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    # No index of its own on a foreign key that leads a composite index below (docs/decisions/0008).
    force = models.ForeignKey(
        "org.Force", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The area whose officers see this person without asking: where they live now, or else
    # where they were last involved in an incident (kept by people.services).
    area = models.ForeignKey(
        "org.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    # Lower-case, accent-free copies for indexed prefix search (people.search.name_key).
    given_name_key = models.CharField(max_length=100, editable=False, default="")
    family_name_key = models.CharField(max_length=100, editable=False, default="")
    date_of_birth = models.DateField(null=True, blank=True)
    # When the date of birth is not known: an estimated age on a stated day.
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    estimated_age_on = models.DateField(null=True, blank=True)
    appears_under_18 = models.BooleanField(
        default=False, help_text="An officer judged this person to appear under 18"
    )
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    is_restricted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = ChangeHistory(excluded_fields=["given_name_key", "family_name_key"])

    class Meta:
        ordering = ["family_name", "given_name"]
        # Search filters on the force first (every scope does), so each search index leads with
        # it: the planner then ranges over names or dates within the force, and SQLite does so
        # even before ANALYZE has told it that one force holds nearly every row. There is no
        # index on the given name alone: search always has the family name, and a planner that
        # ranged over every "J..." instead would be slow.
        indexes = [
            models.Index(
                fields=["force", "family_name_key", "given_name_key"],
                name="people_person_force_name_idx",
            ),
            models.Index(fields=["force", "date_of_birth"], name="people_person_force_dob_idx"),
            models.Index(fields=["area", "family_name_key"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_age__isnull=True)
                | models.Q(estimated_age_on__isnull=False),
                name="people_person_estimated_age_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Alias(models.Model):
    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    given_name_key = models.CharField(max_length=100, editable=False, default="")
    family_name_key = models.CharField(max_length=100, editable=False, default="")

    class Meta:
        verbose_name_plural = "aliases"
        indexes = [models.Index(fields=["family_name_key", "given_name_key"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Pregnancy(models.Model):
    """A pregnancy recorded on an adult: the unborn child counts for the child marker."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pregnancies")
    known_from = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    history = ChangeHistory(indexed=("person",))

    class Meta:
        ordering = ["-known_from"]

    def __str__(self) -> str:
        return f"Pregnancy recorded {self.known_from:%d %b %Y}"


class PersonAddress(models.Model):
    """Where a person lived, from and to."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="residents")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    history = ChangeHistory(indexed=("person",))

    class Meta:
        ordering = ["-valid_from"]
        verbose_name_plural = "person addresses"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="people_address_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.location}"


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent of"
    CARER = "carer", "Carer of"
    PARTNER = "partner", "Partner of"
    SIBLING = "sibling", "Sibling of"
    LIVES_WITH = "lives_with", "Lives with"


class Relationship(models.Model):
    """`person` is <kind> `other` (a parent of a child, a partner of an adult)."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=16, choices=RelationshipKind.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    history = ChangeHistory(indexed=("person", "other"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=models.F("other")), name="people_relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display().lower()} {self.other}"


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTH = "health", "Health"
    OTHER = "other", "Other partner agency"


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    force = models.ForeignKey("org.Force", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    urn = models.PositiveIntegerField(
        null=True, blank=True, help_text="School Unique Reference Number (schools only)"
    )
    local_authority = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    """A child on a school's roll, from and to."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = ChangeHistory(indexed=("person",))

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.person} at {self.school}"
