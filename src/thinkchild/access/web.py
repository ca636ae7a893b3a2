"""Reasons for access given in this session (the "Why do you need to open this record?" page).

A reason is kept in the session for REASON_VALID_SECONDS, keyed by record, so a user who has said
why they opened a record is not asked again on every click within that record; after that they are.
"""

import time
from uuid import UUID

SESSION_KEY = "access_reasons"
REASON_VALID_SECONDS = 30 * 60


def _key(kind: str, record_id) -> str:
    return f"{kind}:{record_id}"


def reason_for(request, kind: str, record_id: UUID | str) -> str | None:
    """The reason this user gave in this session for opening this record, if still valid."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    stored = session.get(SESSION_KEY, {}).get(_key(kind, record_id))
    if not stored or time.time() - stored["at"] > REASON_VALID_SECONDS:
        return None
    return stored["reason"]


def reason_remember(request, kind: str, record_id: UUID | str, reason: str) -> None:
    now = time.time()
    reasons = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if now - value["at"] <= REASON_VALID_SECONDS  # drop stale reasons as we go
    }
    reasons[_key(kind, record_id)] = {"reason": reason, "at": now}
    request.session[SESSION_KEY] = reasons
