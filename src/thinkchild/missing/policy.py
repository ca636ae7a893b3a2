"""The force's policy for missing children: each a dated parameter the PPU lead can change.

No national number exists for any of these (domain-rules.md §1.5, addendum §7: [U]); the
defaults follow the practice the references record and issue #4.
"""

from thinkchild.missing.models import RiskLevel
from thinkchild.standards.rationale import MODEL_NAMES, NDM
from thinkchild.standards.registry import Parameter

CHILD_MINIMUM_LEVEL = Parameter(
    key="missing.child_minimum_level",
    title="Lowest risk level a missing child may be graded without a supervisor's override",
    default=RiskLevel.MEDIUM.value,
    choices=tuple(RiskLevel.choices),
)
RATIONALE_MODEL = Parameter(
    key="missing.rationale_model",
    title="Decision model a risk grading's rationale is written against",
    default=NDM,
    choices=tuple(MODEL_NAMES.items()),
)
REPEAT_COUNT = Parameter(
    key="missing.repeat_count",
    title="Episodes in the window that make a child a repeat missing child",
    default=3,
    unit="episodes",
    minimum=2,
    maximum=20,
)
REPEAT_WINDOW_DAYS = Parameter(
    key="missing.repeat_window_days",
    title="Days in the rolling window for repeat missing",
    default=90,
    unit="days",
    minimum=7,
    maximum=365,
)
REVIEW_INTERVAL_HOURS = Parameter(
    key="missing.review_interval_hours",
    title="Longest time from a grading to the next review of the risk, by level",
    default={
        RiskLevel.HIGH.value: 2,
        RiskLevel.MEDIUM.value: 6,
        RiskLevel.LOW.value: 12,
        RiskLevel.VERY_LOW.value: 24,
    },
    unit="hours",
    minimum=1,
    maximum=24 * 7,
    options=tuple(RiskLevel.choices),
)

GRADING_BACKDATE_MINUTES = Parameter(
    key="missing.grading_backdate_minutes",
    title="Minutes a risk grading may be dated before it is recorded",
    default=60,
    unit="minutes",
    minimum=5,
    maximum=24 * 60,
)

PARAMETERS = (
    GRADING_BACKDATE_MINUTES,
    CHILD_MINIMUM_LEVEL,
    RATIONALE_MODEL,
    REPEAT_COUNT,
    REPEAT_WINDOW_DAYS,
    REVIEW_INTERVAL_HOURS,
)
