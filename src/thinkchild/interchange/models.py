"""The key map from source systems to Think Child rows, import runs, and the quarantine.

Domain models carry no source columns: which source record became which row lives here, with the
digest that makes re-importing an unchanged record a no-op (docs/decisions/0004).
"""

from django.conf import settings
from django.db import models

from thinkchild.access.ids import record_id

# The key map's unique key: an import worker that meets it has met a duplicate line written by
# another worker at the same moment (pipeline._transient).
SOURCE_KEY_CONSTRAINT = "interchange_source_record_key"


class SourceRecord(models.Model):
    """One source record (type, system, id) and the Think Child row it became."""

    id = models.BigAutoField(primary_key=True)
    record_type = models.CharField(max_length=40)
    source_system = models.CharField(max_length=40)
    source_id = models.CharField(max_length=100)
    # Found by (record_type, object_id) (the index below); no index of its own.
    object_id = models.UUIDField()
    # sha256 of the record's canonical JSON: equal digest, nothing to do.
    digest = models.CharField(max_length=64)
    # The run columns have no index: nothing looks rows up by run, and without one a re-import,
    # which sets last_seen_* on every row, updates rows in place (PostgreSQL HOT updates) instead of
    # writing an index entry per row. Measured: re-import of the demo force 4.8 s -> 2.7 s.
    # No database constraint on either run column either: PostgreSQL would check both for every
    # record imported, at commit, locking the run's row from every import worker; the runs are
    # never deleted but by Django, which sets these to NULL itself (docs/decisions/0011).
    first_seen_run = models.ForeignKey(
        "ImportRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # With last_seen_line, finds a duplicate key within one file without holding every key in
    # memory (a 1 GB file has millions).
    last_seen_run = models.ForeignKey(
        "ImportRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    last_seen_line = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField()
    # Set when the record this key became was lawfully erased (people.services.person_erase): the
    # key stays, with no digest, so that the source system sending the record again does not bring
    # the person back (the import refuses it, and records that name it).
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "source_system", "source_id"],
                name=SOURCE_KEY_CONSTRAINT,
            ),
        ]
        indexes = [models.Index(fields=["record_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.source_system}/{self.source_id}"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted (can be re-run)"


class ImportRun(models.Model):
    """One import: a file, a set of files, an API call, or a retry of held records."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    source_name = models.CharField(max_length=300)
    channel = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    accepted = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    # Records held by earlier runs that this run's data let through.
    released = models.PositiveIntegerField(default=0)
    total_lines = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def short_id(self) -> str:
        return self.id.hex[:8]


class QuarantineStatus(models.TextChoices):
    REJECTED = "rejected", "Rejected"
    HELD = "held", "Held: waiting for a record it refers to"
    RESOLVED = "resolved", "Resolved"
    DISCARDED = "discarded", "Discarded"


OPEN_STATUSES = (QuarantineStatus.REJECTED, QuarantineStatus.HELD)


class QuarantinedRecord(models.Model):
    """A line that was not imported, kept with every reason so nothing is silently lost."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="quarantined")
    line_number = models.PositiveIntegerField()
    # The line as received (decoded with replacement characters when it was not UTF-8).
    raw = models.TextField()
    raw_bytes_hex = models.TextField(blank=True)
    # sha256 of the raw bytes: the same bad line imported again is not quarantined twice.
    digest = models.CharField(max_length=64, db_index=True)
    # The canonical record when the line parsed (for CSV, the record after the column mapping).
    record = models.JSONField(null=True, blank=True)
    record_type = models.CharField(max_length=40, blank=True)
    source_system = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=QuarantineStatus.choices)
    waiting_for = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "line_number"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["record_type", "source_system", "source_id"]),
            models.Index(fields=["run", "line_number"]),
        ]

    def __str__(self) -> str:
        return f"line {self.line_number} of {self.run}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
