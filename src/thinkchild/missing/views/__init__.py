"""Missing children's pages. Thin: forms in, selectors and services out. A service's refusal is
shown in the page's error summary; access refusals go to the access middleware (AccessDenied
becomes a 403 page, ReasonRequired the "Why do you need to open this record?" page)."""

from thinkchild.missing.views.episodes import (
    authority_notify,
    child_history,
    episode_allocate,
    episode_close,
    episode_detail,
    episode_list,
    episode_report,
    philomena_profile,
    philomena_send,
    prompt_action,
)
from thinkchild.missing.views.records import (
    enquiry_record,
    found_record,
    prevention_record,
    return_home_record,
    risk_grade,
)
from thinkchild.missing.views.summary import summary

__all__ = [
    "child_history",
    "authority_notify",
    "episode_allocate",
    "enquiry_record",
    "episode_close",
    "episode_detail",
    "episode_list",
    "episode_report",
    "philomena_profile",
    "found_record",
    "philomena_send",
    "prevention_record",
    "prompt_action",
    "return_home_record",
    "risk_grade",
    "summary",
]
