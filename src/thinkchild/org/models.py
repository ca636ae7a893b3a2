"""The force, its areas and teams, and the people who use Think Child."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from thinkchild.access.history import ChangeHistory
from thinkchild.access.ids import record_id


class Role(models.TextChoices):
    """What a user does. Each role's reach is the matrix in docs/security.md (access/policy.py)."""

    OFFICER = "officer", "Officer"
    CONTROL_ROOM = "control_room", "Control room"
    SUPERVISOR = "supervisor", "Supervisor"
    SPECIALIST = "specialist", "Specialist investigator"
    MASH = "mash", "MASH practitioner"
    CUSTODY = "custody", "Custody officer"
    DETECTIVE_INSPECTOR = "detective_inspector", "Detective inspector"
    AUDITOR = "auditor", "Auditor"
    ANALYST = "analyst", "Analyst"
    PPU_LEAD = "ppu_lead", "PPU lead"
    SYSTEM_ADMIN = "system_admin", "System administrator"
    SYSTEM_ACCOUNT = "system_account", "System account (API)"


class TeamKind(models.TextChoices):
    RESPONSE = "response", "Response"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    CONTROL_ROOM = "control_room", "Control room"
    MASH = "mash", "MASH"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CSE = "cse", "Child sexual exploitation"
    ONLINE = "online", "Online child abuse"
    SAFEGUARDING_UNIT = "safeguarding_unit", "Safeguarding unit"
    CUSTODY = "custody", "Custody"
    PUBLIC_PROTECTION = "public_protection", "Public protection unit"


class Force(models.Model):
    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A basic command unit."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="areas")
    code = models.SlugField(max_length=32)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="org_area_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team. Force-wide teams (control room, MASH, PPU) have no area."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="teams")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="teams", null=True, blank=True
    )
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=TeamKind.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="org_team_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Someone who signs in, or a system account that calls the API with a token."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.OFFICER)
    rank = models.CharField(max_length=64, blank=True, help_text="Rank or grade")
    collar_number = models.CharField(max_length=16, blank=True)
    force = models.ForeignKey(
        Force, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    # Demo users exist only in demo mode; a production start refuses to run while any remain.
    is_demo = models.BooleanField(default=False)
    history = ChangeHistory(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collar_number"],
                condition=~models.Q(collar_number=""),
                name="org_user_collar_number_unique",
            ),
        ]

    @property
    def area(self) -> Area | None:
        return self.team.area if self.team_id and self.team else None

    @property
    def display_name(self) -> str:
        name = self.get_full_name() or self.username
        return f"{name} ({self.collar_number})" if self.collar_number else name

    def __str__(self) -> str:
        return self.display_name


class ApiToken(models.Model):
    """A bearer token for a system account. Only a hash is stored; the token is shown once."""

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class PolicySetting(models.Model):
    """A force policy parameter's value from a date (standards.registry.Parameter).

    Never edited or deleted: a change is a new row, so compliance for any past period is judged
    under the policy then in force, and the rows are the record of who changed what, when and why.
    """

    id = models.UUIDField(primary_key=True, default=record_id, editable=False)
    key = models.CharField(max_length=100)
    value = models.JSONField()
    effective_from = models.DateField()
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["key", "-effective_from", "-set_at"])]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} from {self.effective_from}"
