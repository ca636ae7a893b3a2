"""Every write about missing children: each checked against the rules, logged, and followed by a
refresh of the episode's obligations. A write that breaks a rule is refused with a reason the
person making it can act on (issue #4, "Bad input")."""

from thinkchild.missing.services.common import (
    ABSENT_REFUSAL,
    ABSENT_WORDS,
    REASON_MIN,
    SUPERVISOR_ROLES,
    Refused,
    child_age,
    is_supervisor,
)
from thinkchild.missing.services.enquiries import (
    enquiry_record,
    philomena_profile_save,
    philomena_profile_send,
    prompt_action,
)
from thinkchild.missing.services.reporting import (
    Report,
    episode_allocate,
    episode_report,
    prompt_kinds,
    repeat_episodes,
)
from thinkchild.missing.services.returns import (
    authority_notify,
    closure_problems,
    closure_ready,
    episode_close,
    found_record,
    prevention_interview_record,
    return_home_interview_record,
)
from thinkchild.missing.services.risk import (
    LEGACY_MAP,
    Source,
    current_grading_set,
    legacy_grading_keep,
    risk_grade,
    risk_level_parse,
)

__all__ = [
    "ABSENT_REFUSAL",
    "ABSENT_WORDS",
    "LEGACY_MAP",
    "REASON_MIN",
    "SUPERVISOR_ROLES",
    "Refused",
    "Report",
    "Source",
    "authority_notify",
    "child_age",
    "closure_problems",
    "closure_ready",
    "current_grading_set",
    "enquiry_record",
    "episode_allocate",
    "episode_close",
    "episode_report",
    "found_record",
    "is_supervisor",
    "legacy_grading_keep",
    "philomena_profile_save",
    "philomena_profile_send",
    "prevention_interview_record",
    "prompt_action",
    "prompt_kinds",
    "repeat_episodes",
    "return_home_interview_record",
    "risk_grade",
    "risk_level_parse",
]
