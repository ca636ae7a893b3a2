"""Force policy: each parameter's value on a given day, and the PPU lead's changes to it."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from thinkchild.org.models import PolicySetting, Role
from thinkchild.standards.registry import parameter_get


class PolicyRefused(ValueError):
    """A policy change that cannot be made, with the reason a PPU lead can act on."""


def _day(at: date | datetime) -> date:
    return timezone.localdate(at) if isinstance(at, datetime) else at


class Policy:
    """Reads parameters as they stood at a moment, each parameter's settings read once."""

    def __init__(self):
        self._settings: dict[str, list[tuple[date, object]]] = {}

    def __call__(self, key: str, at: date | datetime):
        if key not in self._settings:
            self._settings[key] = list(
                PolicySetting.objects.filter(key=key)
                .order_by("-effective_from", "-set_at")
                .values_list("effective_from", "value")
            )
        day = _day(at)
        for effective_from, value in self._settings[key]:
            if effective_from <= day:
                return value
        return parameter_get(key).default


def policy_value(key: str, at: date | datetime | None = None):
    """A parameter's value on a day (today if none is given)."""
    return Policy()(key, at or timezone.now())


@transaction.atomic
def policy_set(*, actor, key: str, value, effective_from: date, reason: str) -> PolicySetting:
    """A new value for a parameter from a day (today or later: the past stays judged under the
    policy it had)."""
    if getattr(actor, "role", None) != Role.PPU_LEAD:
        raise PolicyRefused("Only the PPU lead changes force policy.")
    try:
        parameter = parameter_get(key)
    except KeyError as error:
        raise PolicyRefused(str(error)) from None
    problems = parameter.problems(value)
    if problems:
        raise PolicyRefused(f"{parameter.title}: {'; '.join(problems)}.")
    if effective_from < timezone.localdate():
        raise PolicyRefused(
            "A change takes effect from today or later: compliance in the past is judged under "
            "the policy then in force."
        )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise PolicyRefused("Say why the policy is changing.")
    return PolicySetting.objects.create(
        key=key, value=value, effective_from=effective_from, set_by=actor, reason=reason
    )
