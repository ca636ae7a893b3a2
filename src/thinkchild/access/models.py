"""Restricted records and the Data Protection Act 2018 s.62 processing log."""

from django.conf import settings
from django.db import models

from thinkchild.access.ids import record_id


class Operation(models.TextChoices):
    """The kinds of processing s.62(1) requires a log of."""

    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    COMBINATION = "combination", "Combination"
    ERASURE = "erasure", "Erasure"


class Channel(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    IMPORT = "import", "Import"
    TASK = "task", "Background task"
    CLI = "cli", "Command line"


class ProcessingLogQuerySet(models.QuerySet):
    """Append-only in the application: no code path updates or deletes an entry.

    The database refuses too (triggers in migration 0002), so raw SQL cannot quietly rewrite it.
    """

    def update(self, **kwargs):
        raise PermissionError("The processing log is append-only.")

    def delete(self):
        raise PermissionError("The processing log is append-only.")


class ProcessingLogEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    operation = models.CharField(max_length=16, choices=Operation.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    # No index of its own: the (actor, -occurred_at) index below serves lookups by actor, and a
    # second index would cost every logged write (an import writes one entry per record).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Denormalised so the entry still reads right after the user changes name or collar number.
    actor_label = models.CharField(max_length=200, blank=True)
    subject_type = models.CharField(max_length=64)
    subject_id = models.UUIDField()
    subject_label = models.CharField(max_length=200, blank=True)
    justification = models.TextField(blank=True)
    # True when the justification was given by the user because the record was outside scope.
    out_of_scope = models.BooleanField(default=False)
    recipient = models.CharField(max_length=200, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = ProcessingLogQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
        ]
        verbose_name = "processing log entry"
        verbose_name_plural = "processing log"

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.operation} {self.subject_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The processing log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The processing log is append-only.")


class AccessListEntry(models.Model):
    """A user allowed to open a restricted record. Nobody else may, whatever their role."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    subject_type = models.CharField(max_length=64)
    subject_id = models.UUIDField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_list_entries"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "user"], name="access_list_unique"
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.subject_type} {self.subject_id}"
