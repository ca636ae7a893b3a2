"""Who is acting, through which channel: set once per request, task or command run.

The processing log reads this so that a selector does not need the request to log a consultation.
"""

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, replace

from thinkchild.access.models import Channel


@dataclass(frozen=True)
class AccessContext:
    channel: str = Channel.CLI
    request_id: str = ""
    source_ip: str | None = None
    # For a disclosure to a system account: who receives the data.
    recipient: str = ""


_DEFAULT = AccessContext()
_current: ContextVar[AccessContext | None] = ContextVar("thinkchild_access_context", default=None)


def access_context() -> AccessContext:
    return _current.get() or _DEFAULT


@contextlib.contextmanager
def acting_through(channel: str, **fields):
    """Run a block as one channel (web, api, import, task, cli), restoring the old context after."""
    new = replace(access_context(), channel=channel, **fields)
    if not new.request_id:
        new = replace(new, request_id=uuid.uuid4().hex)
    token = _current.set(new)
    try:
        yield new
    finally:
        _current.reset(token)


def access_context_update(**fields) -> AccessContext:
    """Change fields of the current context until the enclosing `acting_through` block ends.

    Used where the caller is known only part-way through a request: the API learns which system
    account (the recipient of any disclosure) it serves when the bearer token is checked.
    """
    new = replace(access_context(), **fields)
    _current.set(new)
    return new
