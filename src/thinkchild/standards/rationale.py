"""Structured rationale: the decision models a decision's reasons are written against.

The National Decision Model (College of Policing APP) is the national model; THRIVE is a grading
aid some forces use within it (domain-rules.md §9). Supervision reviews (investigations) and
missing-person risk gradings (missing) both record a rationale stage by stage, so the stages and
their check live here, on the core floor, rather than in either domain.
"""

from collections.abc import Mapping

NDM = "ndm"
THRIVE = "thrive"

# Each model's stages, in the order they are written, with the question each answers.
MODELS: dict[str, tuple[tuple[str, str], ...]] = {
    NDM: (
        ("information", "Information and intelligence gathered"),
        ("assessment", "Threat and risk assessed, and the working strategy"),
        ("powers", "Powers and policy considered"),
        ("options", "Options and contingencies identified"),
        ("action", "Action taken, and how it will be reviewed"),
    ),
    THRIVE: (
        ("threat", "Threat"),
        ("harm", "Harm"),
        ("risk", "Risk"),
        ("investigation", "Investigation"),
        ("vulnerability", "Vulnerability"),
        ("engagement", "Engagement"),
    ),
}
MODEL_NAMES = {NDM: "National Decision Model", THRIVE: "THRIVE"}
NDM_STAGES = tuple(stage for stage, _ in MODELS[NDM])


def stages(model: str) -> tuple[str, ...]:
    return tuple(stage for stage, _ in MODELS[model])


def missing_stages(rationale: Mapping, model: str = NDM) -> list[str]:
    """The stages of `model` that `rationale` leaves empty (none when it is complete)."""
    return [s for s in stages(model) if not str(rationale.get(s, "") or "").strip()]
