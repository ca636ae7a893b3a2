"""Investigations, who holds them, and their supervision: timed, structured, gradeable reviews."""

from django.conf import settings
from django.db import models

from thinkchild.access.history import ChangeHistory
from thinkchild.access.ids import record_id


class InvestigationType(models.TextChoices):
    CHILD_ABUSE = "child_abuse", "Child abuse"
    CSE_IN_PERSON = "cse_in_person", "Child sexual exploitation (in person)"
    CSE_ONLINE = "cse_online", "Child sexual exploitation (online)"
    CHILD_ON_CHILD = "child_on_child", "Child-on-child abuse"
    NEGLECT = "neglect", "Neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    OTHER = "other", "Other"


class InvestigationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Investigation(models.Model):
    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    force = models.ForeignKey("org.Force", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40, unique=True)
    type = models.CharField(max_length=32, choices=InvestigationType.choices)
    status = models.CharField(
        max_length=16, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN
    )
    summary = models.TextField(blank=True)
    is_restricted = models.BooleanField(default=False)
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investigations",
    )
    allocated_at = models.DateTimeField()
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    incidents = models.ManyToManyField(
        "incidents.Incident", related_name="investigations", blank=True
    )
    history = ChangeHistory()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.reference


class InvolvedRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"


class SuspectStatus(models.TextChoices):
    NONE = "", "Not arrested"
    BAIL = "bail", "On bail"
    RUI = "rui", "Released under investigation"
    CHARGED = "charged", "Charged"
    NO_FURTHER_ACTION = "nfa", "No further action"


class InvestigationPerson(models.Model):
    """A victim or a suspect, and for a suspect their bail or released-under-investigation state."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="people"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=InvolvedRole.choices)
    suspect_status = models.CharField(
        max_length=16, choices=SuspectStatus.choices, default=SuspectStatus.NONE, blank=True
    )
    status_from = models.DateField(null=True, blank=True)
    status_until = models.DateField(null=True, blank=True)  # bail return date, RUI review date
    history = ChangeHistory(indexed=("person",))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "person", "role"], name="investigations_person_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.investigation_id}"


class Allocation(models.Model):
    """Every allocation and reallocation: to whom, by whom, when, why, and the rule's advice."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="allocations"
    )
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    allocated_at = models.DateTimeField()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    advice = models.TextField()  # what the allocation rules said, in words
    reason = models.TextField(
        blank=True
    )  # why it was reallocated, or why the advice was overridden

    class Meta:
        ordering = ["allocated_at"]

    def __str__(self) -> str:
        return f"{self.investigation_id} to {self.team_id} at {self.allocated_at:%d/%m/%Y %H:%M}"


class SupervisionReview(models.Model):
    """A supervisor's review: when, by whom, risks, decisions with their rationale, next review."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    backdated_reason = models.TextField(blank=True)
    risks_considered = models.TextField()
    # [{"decision": ..., "rationale": {"information", "assessment", "powers", "options", "action"}}]
    # The National Decision Model's five stages (College of Policing APP).
    decisions = models.JSONField(default=list)
    next_review_by = models.DateField()

    class Meta:
        ordering = ["reviewed_at"]
        indexes = [models.Index(fields=["investigation", "reviewed_at"])]

    def __str__(self) -> str:
        return f"Review of {self.investigation_id} at {self.reviewed_at:%d/%m/%Y %H:%M}"


class FurtherWork(models.Model):
    """An action a review requires: an owner, a due date, and when it was done."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    review = models.ForeignKey(SupervisionReview, on_delete=models.CASCADE, related_name="work")
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="further_work"
    )
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.description[:80]


class Grade(models.TextChoices):
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class ReviewGrade(models.Model):
    """How well a review supervised: graded by a detective inspector or an auditor, with reasons."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    review = models.ForeignKey(SupervisionReview, on_delete=models.CASCADE, related_name="grades")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=32, choices=Grade.choices)
    reasons = models.TextField()
    graded_at = models.DateTimeField()

    class Meta:
        ordering = ["graded_at"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} ({self.review_id})"


class MeetingOutcome(models.Model):
    """A meeting's decision about an investigation (a strategy discussion, a MARAC), to be
    recorded on the investigation where its officers will see it."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="meeting_outcomes"
    )
    meeting = models.CharField(max_length=200)
    held_at = models.DateTimeField()
    outcome = models.TextField()
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"{self.meeting} on {self.held_at:%d/%m/%Y}"
