"""Missing children: episodes, risk gradings on the APP continuum, enquiries, the return, the
prevention and return home interviews, repeat-missing prompts, and Philomena Protocol profiles.

Gradings, enquiries and prompts are append-only in the application: a re-grading is a new row, so
the history of every decision stays readable (ADR 0013).
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from thinkchild.access.history import ChangeHistory
from thinkchild.access.ids import record_id


def one_or_none(record, name: str):
    """A one-to-one record on `record` (its found report, its interviews), or None."""
    try:
        return getattr(record, name)
    except ObjectDoesNotExist:
        return None


class RiskLevel(models.TextChoices):
    """The APP continuum of risk (domain-rules.md §1.2), highest first."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    VERY_LOW = "very_low", "Very low"


# Higher is more serious; used for "below the force's minimum for children".
RISK_RANK = {RiskLevel.VERY_LOW: 0, RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}

APP_WORDING = {
    RiskLevel.HIGH: "The risk of serious harm to the subject or the public is assessed as very "
    "likely.",
    RiskLevel.MEDIUM: "The risk of harm to the subject or the public is assessed as likely but "
    "not serious.",
    RiskLevel.LOW: "The risk of harm to the subject or the public is assessed as possible but "
    "minimal.",
    RiskLevel.VERY_LOW: "There is a very low risk of harm to either the subject or the public.",
}


class LegacyCategory(models.TextChoices):
    """Categories a source system may still hold, kept as recorded and never chosen again."""

    NONE = "", "None"
    ABSENT = "absent", "Absent"
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    FOSTER_CARE = "foster_care", "Foster care"
    RESIDENTIAL_CARE = "residential_care", "Residential care"
    OTHER = "other", "Somewhere else"


class KnownRisk(models.TextChoices):
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    SELF_HARM = "self_harm", "Self-harm or suicide"
    MEDICAL = "medical", "Medical needs"
    DRUGS_ALCOHOL = "drugs_alcohol", "Drug or alcohol misuse"
    ASSOCIATES = "associates", "Known associates"
    PLACES = "places", "Places they may go"


class EpisodeStatus(models.TextChoices):
    MISSING = "missing", "Missing"
    FOUND = "found", "Found"
    CLOSED = "closed", "Closed"


class MissingEpisode(models.Model):
    """One episode of a child being missing, from the report to its closure."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    force = models.ForeignKey("org.Force", on_delete=models.PROTECT, related_name="+")
    # The area and team holding the enquiry (scope, queues and the summary by area).
    area = models.ForeignKey("org.Area", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missing_episodes",
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=40, unique=True)
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="missing_episodes"
    )
    is_restricted = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=EpisodeStatus.choices, default=EpisodeStatus.MISSING
    )
    # The report: who made it and when.
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=200)  # the informant, in their words
    reporter_relationship = models.CharField(max_length=100, blank=True)
    reporter_contact = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # Where from, and who is responsible for the child.
    missing_from = models.CharField(max_length=20, choices=MissingFrom.choices)
    missing_from_location = models.ForeignKey(
        "people.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_authority = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    looked_after = models.BooleanField(default=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_where = models.CharField(max_length=300, blank=True)
    circumstances = models.TextField(blank=True)
    known_risks = models.JSONField(default=list, blank=True)  # KnownRisk values
    risk_notes = models.TextField(blank=True)
    adult_associates = models.TextField(blank=True)  # named adults the child is believed with
    # A child missing from another force and believed to be here: this force owns the local
    # enquiries; the home force and its reference are kept.
    home_force = models.CharField(max_length=100, blank=True)
    home_force_reference = models.CharField(max_length=60, blank=True)
    # The current grading, kept here for lists and the summary (the gradings hold the history).
    risk_level = models.CharField(max_length=16, choices=RiskLevel.choices, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    next_review_at = models.DateTimeField(null=True, blank=True)
    # As a source system recorded it, when it used a category that no longer exists.
    legacy_category = models.CharField(
        max_length=20, choices=LegacyCategory.choices, blank=True, default=LegacyCategory.NONE
    )
    repeat_count = models.PositiveSmallIntegerField(
        default=1
    )  # episodes in the window, this one in
    repeat_marker = models.BooleanField(default=False)
    found_at = models.DateTimeField(null=True, blank=True)
    # Kept here from the interviews for the summary's counts, so it reads one table: the
    # prevention interview was held, and when the return home interview was.
    prevention_done = models.BooleanField(default=False)
    return_interview_held_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When a source system closed it: applied once the closing conditions are met (imports).
    source_closed_at = models.DateTimeField(null=True, blank=True)
    # False while an import has written parts of the episode that its derived state (current
    # grading, found, repeat count, closure, obligations) does not yet reflect
    # (missing.services.settle).
    settled = models.BooleanField(default=True)
    history = ChangeHistory(indexed=("child",))

    class Meta:
        ordering = ["-reported_at"]
        indexes = [
            models.Index(fields=["child", "reported_at"]),
            models.Index(fields=["force", "reported_at"]),
            models.Index(fields=["team", "status"]),
            models.Index(
                fields=["settled"], condition=models.Q(settled=False), name="missing_unsettled"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def cross_border(self) -> bool:
        return bool(self.home_force)


class RiskGrading(models.Model):
    """A grading on the continuum, its rationale stage by stage, and any override of the minimum."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="gradings")
    level = models.CharField(max_length=16, choices=RiskLevel.choices)
    legacy_category = models.CharField(
        max_length=20, choices=LegacyCategory.choices, blank=True, default=LegacyCategory.NONE
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    graded_by_label = models.CharField(max_length=200, blank=True)  # as the source named them
    supervisory = models.BooleanField(default=False)  # graded or confirmed by a supervisor
    graded_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    model = models.CharField(max_length=16, default="ndm")  # standards.rationale.MODELS
    rationale = models.JSONField(default=dict)  # {stage: text}
    next_review_at = models.DateTimeField(null=True, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["graded_at", "recorded_at"]
        indexes = [models.Index(fields=["episode", "graded_at"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()} at {self.graded_at:%d/%m/%Y %H:%M}"


class InformationSource(models.Model):
    """A piece of information a grading used: what, from whom, their contact, when obtained."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    grading = models.ForeignKey(RiskGrading, on_delete=models.CASCADE, related_name="sources")
    information = models.TextField()
    source = models.CharField(max_length=200)
    contact = models.CharField(max_length=200, blank=True)
    obtained_at = models.DateTimeField()

    class Meta:
        ordering = ["obtained_at"]

    def __str__(self) -> str:
        return f"{self.source} at {self.obtained_at:%d/%m/%Y %H:%M}"


class EnquiryKind(models.TextChoices):
    CALL = "call", "Call"
    BROADCAST = "broadcast", "Broadcast"
    ADDRESS_CHECK = "address_check", "Address check"
    SOCIAL_MEDIA = "social_media", "Social media"
    CCTV = "cctv", "CCTV"
    HOSPITALS = "hospitals", "Hospitals"
    ASSOCIATES = "associates", "Associates"
    PHILOMENA = "philomena", "Philomena profile sent"
    DIRECTION = "direction", "Supervisor's direction of the search"
    OTHER = "other", "Other"


class EnquiryAction(models.Model):
    """One line of the enquiries log, or a supervisor's direction of the search."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="enquiries")
    kind = models.CharField(max_length=20, choices=EnquiryKind.choices)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    done_by_label = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    details = models.TextField()
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["done_at", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.done_at:%d/%m/%Y %H:%M}"


class FoundReport(models.Model):
    """The child found or returned: when, where, with whom, by whom."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    episode = models.OneToOneField(MissingEpisode, on_delete=models.CASCADE, related_name="found")
    found_at = models.DateTimeField()
    found_where = models.CharField(max_length=300)
    found_with = models.CharField(max_length=300, blank=True)
    found_by = models.CharField(
        max_length=200
    )  # an officer, a carer, "returned of their own accord"
    # Back before anyone was allocated: still an episode with every obligation (issue #4).
    before_allocation = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Found at {self.found_at:%d/%m/%Y %H:%M}"


class InterviewMethod(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    TELEPHONE = "telephone", "By telephone"


class PreventionInterview(models.Model):
    """The police prevention (safe and well) interview, or the reason it was not done."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.CASCADE, related_name="prevention_interview"
    )
    done = models.BooleanField()
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_by_label = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=16, choices=InterviewMethod.choices, blank=True)
    method_reason = models.TextField(blank=True)  # why not face to face
    child_account = models.TextField(blank=True)  # what the child said
    risks_found = models.TextField(blank=True)
    not_done_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return "Prevention interview" if self.done else "Prevention interview not done"


class ReturnHomeInterview(models.Model):
    """The local authority's return home interview as the police know it: notified, offered,
    held, what it found, and what the police did about it."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.CASCADE, related_name="return_home_interview"
    )
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    authority_notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    declined = models.BooleanField(default=False)
    findings_received_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(blank=True)
    police_actions = models.TextField(blank=True)
    protective_plan_updated_at = models.DateTimeField(null=True, blank=True)
    history = ChangeHistory()

    def __str__(self) -> str:
        return f"Return home interview for {self.episode_id}"


class PromptKind(models.TextChoices):
    PANEL = "panel", "Missing person panel or strategy discussion"
    EXPLOITATION = "exploitation", "Exploitation screening"
    CAWN = "cawn", "Child abduction warning notice"
    PHILOMENA = "philomena", "Review of the Philomena profile"


class RepeatPrompt(models.Model):
    """What repeat missing asks of the supervisor: an obligation with an owner, not a banner."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="prompts")
    kind = models.CharField(max_length=16, choices=PromptKind.choices)
    opened_at = models.DateTimeField()
    actioned_at = models.DateTimeField(null=True, blank=True)
    actioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["opened_at", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "kind"], name="missing_prompt_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PhilomenaProfile(models.Model):
    """Part 1 of the Philomena Protocol: held in advance by the carer of a looked-after child."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    force = models.ForeignKey("org.Force", on_delete=models.PROTECT, related_name="+")
    # PROTECT, as for episodes: an erasure of the child names the profile rather than deleting
    # it and leaving its change history behind (docs/decisions/0006).
    child = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="philomena_profile"
    )
    held_by = models.CharField(max_length=200)  # the care provider or local authority
    description = models.TextField()
    photo_reference = models.CharField(max_length=200, blank=True)
    associates = models.TextField(blank=True)
    places = models.TextField(blank=True)
    phones = models.TextField(blank=True)
    medical = models.TextField(blank=True)
    missing_history = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = ChangeHistory(indexed=("child",))

    def __str__(self) -> str:
        return f"Philomena profile held by {self.held_by}"
