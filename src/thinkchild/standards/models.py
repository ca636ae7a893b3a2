"""Obligations: what a standard expects of a subject, with a clock, an owner and a queue."""

from django.conf import settings
from django.db import models

from thinkchild.access.ids import record_id


class ObligationStatus(models.TextChoices):
    OPEN = "open", "Open"
    OVERDUE = "overdue", "Overdue"
    MET_ON_TIME = "met_on_time", "Met on time"
    MET_LATE = "met_late", "Met late"
    CANCELLED = "cancelled", "Not applicable"


OPEN_STATUSES = (ObligationStatus.OPEN, ObligationStatus.OVERDUE)


class Obligation(models.Model):
    """One expectation of one standard about one subject (an investigation, a referral, ...)."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    standard_id = models.CharField(max_length=100)
    subject_type = models.CharField(max_length=50)
    subject_id = models.UUIDField()
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    children = models.ManyToManyField("people.Person", related_name="obligations", blank=True)
    owner_team = models.ForeignKey(
        "org.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
    )
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ObligationStatus.choices)
    cancelled_reason = models.TextField(blank=True)
    # 0: not escalated; 1: to the owner's supervisor; 2: to the inspector.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["standard_id", "subject_type", "subject_id", "key"],
                name="standards_obligation_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(due_at__gte=models.F("opened_at")),
                name="standards_obligation_due_after_opening",
            ),
        ]
        indexes = [
            # The queues: a team's (or an officer's) open obligations, soonest first.
            models.Index(fields=["owner_team", "status", "due_at"]),
            models.Index(fields=["owner", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
            # The force's queue (the PPU lead's): the open few of a million, soonest first, read
            # in order from a small index instead of sorting every open obligation.
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(status__in=["open", "overdue"]),
                name="standards_obligation_open_due",
            ),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["standard_id", "opened_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_at:%d/%m/%Y %H:%M})"


class Escalation(models.Model):
    """A step taken on an overdue obligation: who was told, and when."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    escalated_at = models.DateTimeField()
    to = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "level"], name="standards_escalation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.obligation} escalated to level {self.level}"


class Notification(models.Model):
    """An in-app message to a user about an obligation (also sent by email)."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, null=True, related_name="notifications"
    )
    message = models.TextField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.message


class SchoolTerm(models.Model):
    """A local authority's school term, first and last day inclusive. Standards that count school
    days (standards.terms.term_calendar_for) use these, or the default calendar when an authority
    has none."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    local_authority = models.ForeignKey(
        "people.Organisation",
        on_delete=models.PROTECT,
        related_name="school_terms",
        limit_choices_to={"kind": "local_authority"},
    )
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="standards_term_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_authority}: {self.first_day:%d/%m/%Y} to {self.last_day:%d/%m/%Y}"


class SchoolClosure(models.Model):
    """A day in term when a local authority's schools are shut (INSET days, polling days)."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    local_authority = models.ForeignKey(
        "people.Organisation",
        on_delete=models.PROTECT,
        related_name="school_closures",
        limit_choices_to={"kind": "local_authority"},
    )
    day = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "day"], name="standards_closure_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_authority}: closed {self.day:%d/%m/%Y}"
